import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

// Applies prisma/migrations/*/migration.sql and records them in Prisma's own `_prisma_migrations`
// table, exactly as `prisma migrate deploy` does, so either tool accepts a database migrated by the
// other. Used for the embedded PGlite at start-up, by the tests and by `npm run db:migrate`.

/** One database session: migrations run BEGIN … COMMIT through it, so it must not be a pool. */
export interface SqlRunner {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<void>;
}

// Runners are memoised per session: two runs on one session must queue in-process (see `serialise`).
const pgRunners = new WeakMap<pg.ClientBase, SqlRunner>();
const pgliteRunners = new WeakMap<PGlite, SqlRunner>();

export function pgRunner(client: pg.ClientBase): SqlRunner {
  let runner = pgRunners.get(client);
  if (!runner) {
    runner = {
      async query<T>(sql: string, params?: unknown[]) {
        const result = await client.query(sql, params);
        return { rows: result.rows as T[] };
      },
      async exec(sql: string) {
        // Without parameters pg uses the simple protocol, which accepts several statements.
        await client.query(sql);
      },
    };
    pgRunners.set(client, runner);
  }
  return runner;
}

export function pgliteRunner(db: PGlite): SqlRunner {
  let runner = pgliteRunners.get(db);
  if (!runner) {
    runner = {
      async query<T>(sql: string, params?: unknown[]) {
        const result = await db.query<T>(sql, params);
        return { rows: result.rows };
      },
      async exec(sql: string) {
        await db.exec(sql);
      },
    };
    pgliteRunners.set(db, runner);
  }
  return runner;
}

// The key `prisma migrate` itself locks on, so our runner and Prisma's also exclude each other.
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// Same definition as Prisma's schema engine creates for PostgreSQL.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationFile {
  name: string;
  script: string;
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Like Prisma: a checkout with other line endings (git autocrlf) still matches. */
function matchesChecksum(script: string, checksum: string): boolean {
  const lf = script.replace(/\r\n/g, "\n");
  return [script, lf, lf.replace(/\n/g, "\r\n")].some((variant) => sha256(variant) === checksum);
}

async function readMigrations(dir: string): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b)); // Prisma's CLI orders them the same way
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, "migration.sql");
      const script = await readFile(file, "utf8").catch((error: unknown) => {
        throw new Error(`Migration ${name} has no readable migration.sql (${file})`, { cause: error });
      });
      return { name, script };
    }),
  );
}

/**
 * Applies the migrations not yet recorded, each in its own transaction, and returns their names.
 * Concurrent runners on other sessions wait on Prisma's advisory lock and then find nothing to do.
 */
export function applyMigrations(runner: SqlRunner, options: { dir?: string } = {}): Promise<string[]> {
  return serialise(runner, () => applyLocked(runner, options.dir ?? path.join(process.cwd(), "prisma/migrations")));
}

// An advisory lock is re-entrant within a session (PGlite has only one), so runs sharing a session
// are queued here instead.
const queues = new WeakMap<SqlRunner, Promise<unknown>>();

function serialise<T>(runner: SqlRunner, fn: () => Promise<T>): Promise<T> {
  const previous = queues.get(runner) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  queues.set(runner, run.catch(() => undefined));
  return run;
}

async function applyLocked(runner: SqlRunner, dir: string): Promise<string[]> {
  const migrations = await readMigrations(dir);
  await runner.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK_KEY]);
  try {
    await runner.exec(CREATE_MIGRATIONS_TABLE);
    const { rows } = await runner.query<MigrationRow>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const recorded = new Map(rows.map((row) => [row.migration_name, row]));
    for (const row of rows) {
      if (row.finished_at === null) {
        // Prisma refuses to continue here too (P3009): the database may hold half of that migration.
        throw new Error(
          `Migration ${row.migration_name} is recorded as failed in _prisma_migrations. ` +
            `Repair the database, then mark it with \`prisma migrate resolve\` before migrating again.`,
        );
      }
    }
    const applied: string[] = [];
    for (const migration of migrations) {
      const row = recorded.get(migration.name);
      if (row) {
        if (!matchesChecksum(migration.script, row.checksum)) {
          throw new Error(
            `Migration ${migration.name} was modified after it was applied (its checksum differs from ` +
              `_prisma_migrations). Restore the original file and put the change in a new migration.`,
          );
        }
        continue;
      }
      await applyOne(runner, migration);
      applied.push(migration.name);
    }
    return applied;
  } finally {
    await runner.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK_KEY]).catch(() => undefined);
  }
}

async function applyOne(runner: SqlRunner, migration: MigrationFile): Promise<void> {
  const id = randomUUID();
  // One transaction for the script and its record: a failure leaves neither behind, so fixing the
  // file and running again is enough (Prisma would leave a failed row to resolve by hand).
  await runner.exec("BEGIN");
  try {
    await runner.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, sha256(migration.script), migration.name],
    );
    await runner.exec(migration.script);
    // clock_timestamp(): now() is frozen at the transaction start.
    await runner.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await runner.exec("COMMIT");
  } catch (error) {
    await runner.exec("ROLLBACK").catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error });
  }
}
