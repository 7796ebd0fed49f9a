import { cpSync, mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import { gzipTree } from "@/lib/db/copy-tree-gzipped";
import { backupName, backupsDirFor, listBackups } from "@/lib/db/list-embedded-backups";

// One backup of the open embedded database into .data/backups/, keeping the newest few.

export type BackupResult = { file: string; bytes: number; pauseMs: number; totalMs: number; walPosition: string };

export async function backUpEmbeddedDatabase(db: PGlite, dataDir: string, options: { keep: number }): Promise<BackupResult> {
  const started = Date.now();
  const dir = backupsDirFor(dataDir);
  const file = path.join(dir, backupName(dataDir, new Date()));
  const staging = `${file}.staging`;
  const partial = `${file}.partial`;
  mkdirSync(dir, { recursive: true });
  removeLeftovers(dataDir); // of a backup cut short by a stop

  // A checkpoint first, so the copy needs little WAL replay when it is restored.
  await db.exec("CHECKPOINT");
  // PGlite runs one session and writes nothing between statements: while this transaction holds
  // that session no other statement runs, so a synchronous copy is the files at one instant — what
  // a crash at that instant leaves, which PostgreSQL recovers from its WAL. Writes wait meanwhile
  // (pauseMs), hence a local copy first and the slow compression after.
  let pauseMs = 0;
  let walPosition = "";
  await db.transaction(async (tx) => {
    walPosition = (await tx.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn")).rows[0]!.lsn;
    const copyStarted = Date.now();
    cpSync(dataDir, staging, { recursive: true });
    pauseMs = Date.now() - copyStarted;
  });
  try {
    rmSync(path.join(staging, "postmaster.pid"), { force: true });
    const bytes = await gzipTree(staging, partial);
    renameSync(partial, file); // complete from here on
    for (const old of listBackups(dataDir).slice(options.keep)) rmSync(old.file, { recursive: true, force: true });
    return { file, bytes, pauseMs, totalMs: Date.now() - started, walPosition };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(partial, { recursive: true, force: true });
  }
}

function removeLeftovers(dataDir: string): void {
  const dir = backupsDirFor(dataDir);
  const prefix = `${path.basename(dataDir)}-`;
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && /\.(staging|partial)$/.test(name)) rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}
