// npm run db:restore [-- --list | <backup directory>]: replaces the embedded database (PGLITE_DATA_DIR)
// with a backup from .data/backups/, the latest by default. Stop WhaTrack first; the directory it
// replaces is kept aside, never deleted. See docs/embedded-database.md.
import { parseArgs } from "node:util";
import path from "node:path";
import { listBackups } from "@/lib/db/list-embedded-backups";
import { restoreEmbeddedDatabase } from "@/lib/db/restore-embedded-database";
import { env } from "@/lib/env";

const { positionals, values } = parseArgs({ allowPositionals: true, options: { list: { type: "boolean", default: false } } });

function main(): Promise<string> | string {
  if (env.DATABASE_URL) return "DATABASE_URL is set: restore PostgreSQL with its own tools (pg_restore); this restores the embedded database only.";
  const dataDir = env.PGLITE_DATA_DIR;
  const backups = listBackups(dataDir);
  if (values.list) {
    return backups.length ? backups.map((b) => `${b.takenAt.toISOString()}  ${b.file}`).join("\n") : `no backups of ${dataDir}`;
  }
  const wanted = positionals[0] ? path.resolve(positionals[0]) : null;
  const backup = wanted ? backups.find((b) => path.resolve(b.file) === wanted) : backups[0];
  if (!backup) throw new Error(wanted ? `${positionals[0]} is not a backup of ${dataDir} (see npm run db:restore -- --list)` : `no backups of ${dataDir}`);
  return restoreEmbeddedDatabase(dataDir, backup).then(
    ({ keptAside }) => `restored ${backup.file} (taken ${backup.takenAt.toISOString()}) into ${dataDir}` + (keptAside ? `; the previous directory is kept at ${keptAside}` : ""),
  );
}

try {
  console.log(await main());
} catch (error) {
  // One line, no stack trace: the cause is in the message (e.g. the app still holds the database).
  console.error(`db:restore failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
