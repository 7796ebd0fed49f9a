// npm run db:migrate: applies prisma/migrations to DATABASE_URL, or to the embedded PGlite database
// when it is unset (through the same open as the app: refused, in one line, while the app holds it).
import pg from "pg";
import { applyMigrations, pgRunner, pgliteRunner } from "@/lib/db/apply-migrations";
import { EmbeddedDatabaseError, openEmbeddedDatabase } from "@/lib/db/open-embedded-database";
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
  const db = await openEmbeddedDatabase(env.PGLITE_DATA_DIR);
  try {
    return await applyMigrations(pgliteRunner(db.pglite));
  } finally {
    await db.close(); // an open PGlite keeps the process alive, and holds the directory's lock
  }
}

try {
  const applied = await migrate();
  for (const name of applied) console.log(`applied ${name}`);
  console.log(applied.length ? `${applied.length} migration(s) applied` : "database is up to date");
} catch (error) {
  if (!(error instanceof EmbeddedDatabaseError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
