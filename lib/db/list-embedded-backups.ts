import { readdirSync } from "node:fs";
import path from "node:path";

// Backups of the embedded database live beside it: .data/pglite → .data/backups/pglite-<time>/.
// A backup is complete once it has its final name (back-up-embedded-database.ts renames it last).

export type EmbeddedBackup = { file: string; takenAt: Date };

export function backupsDirFor(dataDir: string): string {
  return path.join(path.dirname(dataDir), "backups");
}

/** `pglite-2026-05-01T10-20-30.123Z`: sorts by time, and is a valid name on every OS. */
export function backupName(dataDir: string, takenAt: Date): string {
  return `${path.basename(dataDir)}-${takenAt.toISOString().replace(/:/g, "-")}`;
}

/** Complete backups of this data directory, newest first. */
export function listBackups(dataDir: string): EmbeddedBackup[] {
  const dir = backupsDirFor(dataDir);
  const prefix = `${path.basename(dataDir)}-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix))
    .map((name) => ({ name, takenAt: parseTime(name.slice(prefix.length)) }))
    .filter((b): b is { name: string; takenAt: Date } => b.takenAt !== null)
    .sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime())
    .map((b) => ({ file: path.join(dir, b.name), takenAt: b.takenAt }));
}

export function latestBackup(dataDir: string): EmbeddedBackup | null {
  return listBackups(dataDir)[0] ?? null;
}

function parseTime(stamp: string): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2})-(\d{2})-(\d{2}\.\d{3}Z)$/.exec(stamp);
  return match ? new Date(`${match[1]}:${match[2]}:${match[3]}`) : null;
}
