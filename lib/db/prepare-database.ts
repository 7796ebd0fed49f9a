import type { PGlite } from "@electric-sql/pglite";
import { applyMigrations, pgliteRunner } from "@/lib/db/apply-migrations";
import { embeddedDatabase } from "@/lib/db/client";

// Brings the embedded PGlite database up to date before it serves queries. On PostgreSQL this does
// nothing: there, migrations are a deploy step (`npm run db:migrate` or `prisma migrate deploy`).

// On globalThis because Next loads route handlers and pages as separate module graphs in one
// process; keyed by the opened database so one reopened after closeDatabase() is migrated again.
const g = globalThis as typeof globalThis & { __whatrackPrepared?: WeakMap<Promise<PGlite>, Promise<void>> };
const prepared = (g.__whatrackPrepared ??= new WeakMap());

/**
 * Concurrent callers share one run; await it before the first query on the embedded database. Opens
 * it first, so a data directory that cannot be opened rejects here with an EmbeddedDatabaseError.
 */
export function prepareDatabase(): Promise<void> {
  const opening = embeddedDatabase();
  if (!opening) return Promise.resolve();
  let run = prepared.get(opening);
  if (!run) {
    run = opening.then((db) => applyMigrations(pgliteRunner(db))).then(() => undefined);
    // A failed run is forgotten so the next caller retries (and sees the error) instead of a stale rejection.
    run.catch(() => prepared.delete(opening));
    prepared.set(opening, run);
  }
  return run;
}
