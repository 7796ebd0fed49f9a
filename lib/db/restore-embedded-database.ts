import { existsSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { gunzipTree } from "@/lib/db/copy-tree-gzipped";
import type { EmbeddedBackup } from "@/lib/db/list-embedded-backups";
import { lockDataDirectory } from "@/lib/db/lock-data-directory";

// Puts a backup in place of the embedded database. Nothing is deleted: the directory it replaces is
// renamed aside. Refuses while WhaTrack (or anything else) has the database open.

export async function restoreEmbeddedDatabase(dataDir: string, backup: EmbeddedBackup): Promise<{ keptAside: string | null }> {
  const release = lockDataDirectory(dataDir);
  const restoring = `${dataDir}.restoring`;
  try {
    rmSync(restoring, { recursive: true, force: true });
    await gunzipTree(backup.file, restoring);
    // Opened once before it goes in place: PostgreSQL replays the WAL the copy was taken with and
    // shuts down cleanly, and a backup that cannot be opened never replaces anything.
    const db = new PGlite(restoring, { onStderr: () => false });
    await db.waitReady;
    await db.query("SELECT 1");
    await db.close();

    let keptAside: string | null = null;
    if (existsSync(dataDir)) {
      keptAside = `${dataDir}.before-restore-${new Date().toISOString().replace(/:/g, "-")}`;
      renameSync(dataDir, keptAside);
    }
    renameSync(restoring, dataDir);
    return { keptAside: keptAside && path.normalize(keptAside) };
  } finally {
    rmSync(restoring, { recursive: true, force: true });
    release();
  }
}
