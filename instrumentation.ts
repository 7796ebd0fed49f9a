// Runs once when a server instance starts, before it serves requests.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // The embedded PGlite database migrates itself; PostgreSQL is migrated as a deploy step.
  const { prepareDatabase } = await import("@/lib/db/prepare-database");
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
  const { embeddedDatabase } = await import("@/lib/db/client");
  const db = await embeddedDatabase();
  if (db) {
    const { env } = await import("@/lib/env");
    const { scheduleEmbeddedBackups } = await import("@/lib/db/schedule-embedded-backups");
    scheduleEmbeddedBackups(db, env.PGLITE_DATA_DIR, env.PGLITE_BACKUP_MINUTES);
  }
}
