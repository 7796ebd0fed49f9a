import { embeddedDatabase } from "@/lib/db/client";
import { prepareDatabase } from "@/lib/db/prepare-database";
import { scheduleEmbeddedBackups } from "@/lib/db/schedule-embedded-backups";
import { env } from "@/lib/env";

// What a server process does with its database before serving (instrumentation.ts): the embedded
// one is opened, migrated and backed up on a schedule; PostgreSQL is migrated as a deploy step.

export async function startDatabase(): Promise<void> {
  try {
    await prepareDatabase();
  } catch (error) {
    // A data directory that cannot be opened: one line saying what happened and how to recover.
    if (error instanceof Error && error.name === "EmbeddedDatabaseError") {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const opened = embeddedDatabase();
  if (opened) scheduleEmbeddedBackups(await opened, env.PGLITE_DATA_DIR, env.PGLITE_BACKUP_MINUTES);
}
