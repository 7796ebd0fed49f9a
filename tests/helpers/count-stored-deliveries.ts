import { cpSync, rmSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";

// Which of these webhook bodies (by SHA-256) an embedded data directory holds, read from a copy of
// it: the directory exactly as a stopped server left it, recovered by PostgreSQL in the copy, so
// the server still meets its own leftovers (WAL to replay, stale lock files) at its next start.
// Only while no server runs on it: one process per data directory.

export async function countStoredDeliveries(dataDir: string, hashes: string[]): Promise<number> {
  const copy = `${dataDir}.count-${process.pid}`;
  rmSync(copy, { recursive: true, force: true });
  cpSync(dataDir, copy, { recursive: true });
  rmSync(`${copy}/postmaster.pid`, { force: true });
  const db = new PGlite(copy);
  try {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookEvent" WHERE "bodySha256" = ANY($1::text[])`, [hashes]);
    return rows[0]!.n;
  } finally {
    await db.close();
    rmSync(copy, { recursive: true, force: true });
  }
}
