// npm run db:migrate: applies prisma/migrations to DATABASE_URL, or to the embedded PGlite database
// when it is unset. Stop the app first when it is embedded: one process per PGlite data directory.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { applyMigrations, pgRunner, pgliteRunner } from "@/lib/db/apply-migrations";
import { env } from "@/lib/env";

async function migrate(): Promise<string[]> {
  if (env.DATABASE_URL) {
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      return await applyMigrations(pgRunner(client));
    } finally {
      await client.end();
    }
  }
  if (!env.PGLITE_DATA_DIR.startsWith("memory://")) await mkdir(path.dirname(env.PGLITE_DATA_DIR), { recursive: true });
  const db = new PGlite(env.PGLITE_DATA_DIR);
  try {
    return await applyMigrations(pgliteRunner(db));
  } finally {
    await db.close(); // an open PGlite keeps the process alive
  }
}

const applied = await migrate();
for (const name of applied) console.log(`applied ${name}`);
console.log(applied.length ? `${applied.length} migration(s) applied` : "database is up to date");
