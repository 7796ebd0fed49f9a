import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { latestBackup } from "@/lib/db/list-embedded-backups";
import { DataDirectoryBusyError, lockDataDirectory } from "@/lib/db/lock-data-directory";
import { logger } from "@/lib/log/logger";

// Opens the embedded PGlite database on its data directory, for this process alone (see
// lock-data-directory.ts). docs/embedded-database.md explains stops, crashes and backups.

/** Its message is the one line shown to whoever starts WhaTrack: what happened and how to recover. */
export class EmbeddedDatabaseError extends Error {
  override name = "EmbeddedDatabaseError";
}

export type EmbeddedDatabase = { pglite: PGlite; dataDir: string; close(): Promise<void> };

export async function openEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  if (dataDir.startsWith("memory://")) {
    const pglite = await PGlite.create(dataDir);
    return { pglite, dataDir, close: () => pglite.close() };
  }
  // PGlite does not create missing parent directories (a fresh clone has no .data/).
  mkdirSync(path.dirname(dataDir), { recursive: true });
  let release: () => void;
  try {
    release = lockDataDirectory(dataDir);
  } catch (error) {
    if (error instanceof DataDirectoryBusyError) throw new EmbeddedDatabaseError(error.message);
    throw error;
  }
  // With the lock held, a postmaster.pid can only be left by a process that died. PostgreSQL takes
  // over a complete one, but refuses to start on an empty one ("lock file is empty": killed while
  // starting), so it goes.
  rmSync(path.join(dataDir, "postmaster.pid"), { force: true });

  const problems: string[] = [];
  let recovered = false;
  // PostgreSQL's own log, silent unless it explains a failure (PANIC/FATAL) or a recovery.
  const onStderr = (line: string) => {
    if (/\b(PANIC|FATAL):/.test(line)) problems.push(line.replace(/^.*?\b(PANIC|FATAL):\s+/, "$1: ").trim());
    if (line.includes("automatic recovery in progress")) recovered = true;
    return false;
  };
  const pglite = new PGlite(dataDir, { onStderr });
  try {
    await pglite.waitReady;
  } catch (error) {
    release();
    throw new EmbeddedDatabaseError(cannotOpen(dataDir, problems[0] ?? (error instanceof Error ? error.message : String(error))));
  }
  if (recovered) logger.warn({ dataDir }, "the embedded database was not closed cleanly last time: PostgreSQL recovered it from its write-ahead log");
  return {
    pglite,
    dataDir,
    async close() {
      try {
        if (!pglite.closed) await pglite.close();
      } finally {
        release();
      }
    },
  };
}

function cannotOpen(dataDir: string, reason: string): string {
  const backup = latestBackup(dataDir);
  const recovery = backup
    ? `To recover, run \`npm run db:restore\` (restores ${backup.file}, taken ${backup.takenAt.toISOString()}; the current directory is kept aside), ` +
      `or move ${dataDir} aside to start with an empty database.`
    : `No backup exists: move ${dataDir} aside (e.g. \`mv ${dataDir} ${dataDir}.broken\`) to start with an empty database.`;
  return `The embedded database in ${dataDir} cannot be opened (${reason.replace(/\s+/g, " ")}). ${recovery}`;
}
