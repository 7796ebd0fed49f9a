import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { applyMigrations, pgliteRunner, pgRunner, type SqlRunner } from "@/lib/db/apply-migrations";
import { isEmbeddedDatabase } from "@/lib/env";
import { databaseUrl, dropDatabase, withAdminClient } from "@/tests/helpers/postgres-admin";

// The migration runner against a real database: the embedded PGlite, or with TEST_DATABASE_URL a
// scratch PostgreSQL database per test. Migrations come from a temporary directory, not prisma/.

const base = process.env.TEST_DATABASE_URL;

const CREATE = "20240101000000_create_counter";
const INSERT = "20240102000000_count_once";
// pg_sleep widens the window in which a second runner could slip in; the INSERT shows a double run.
const MIGRATIONS: Record<string, string> = {
  [CREATE]: "CREATE TABLE counter (n INTEGER NOT NULL);\nSELECT pg_sleep(0.2);\n",
  [INSERT]: "INSERT INTO counter (n) VALUES (1);\n",
};

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "whatrack-migrations-"));
  // Written newest first: the runner must order by name, not by directory listing.
  for (const name of Object.keys(MIGRATIONS).reverse()) await writeMigration(name, MIGRATIONS[name]!);
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeMigration(name: string, sql: string): Promise<void> {
  await mkdir(path.join(dir, name), { recursive: true });
  await writeFile(path.join(dir, name, "migration.sql"), sql);
}

interface TestDatabase {
  runner: SqlRunner;
  /** Another session on the same database (PGlite has only one). */
  connect(): Promise<SqlRunner>;
}

async function freshDatabase(): Promise<TestDatabase> {
  if (!base) {
    const db = new PGlite();
    onTestFinished(() => db.close());
    return { runner: pgliteRunner(db), connect: async () => pgliteRunner(db) };
  }
  const name = `whatrack_mig_${randomBytes(6).toString("hex")}`;
  await withAdminClient(base, (c) => c.query(`CREATE DATABASE "${name}"`));
  const clients: pg.Client[] = [];
  onTestFinished(async () => {
    await Promise.all(clients.map((c) => c.end()));
    await dropDatabase(base, name);
  });
  const connect = async () => {
    const client = new pg.Client({ connectionString: databaseUrl(base, name) });
    clients.push(client);
    await client.connect();
    return pgRunner(client);
  };
  return { runner: await connect(), connect };
}

interface Row {
  id: string;
  checksum: string;
  migration_name: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

const recorded = async (runner: SqlRunner) =>
  (await runner.query<Row>(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`)).rows;

const counted = async (runner: SqlRunner) =>
  Number((await runner.query<{ n: string | number }>("SELECT count(*) AS n FROM counter")).rows[0]?.n);

describe("applyMigrations", () => {
  it("applies pending migrations in name order, and nothing when run again", async () => {
    const { runner } = await freshDatabase();
    expect(await applyMigrations(runner, { dir })).toEqual([CREATE, INSERT]);
    expect(await applyMigrations(runner, { dir })).toEqual([]);

    await writeMigration("20240103000000_count_twice", "INSERT INTO counter (n) VALUES (2);\n");
    expect(await applyMigrations(runner, { dir })).toEqual(["20240103000000_count_twice"]);
    expect(await counted(runner)).toBe(2);
  });

  it("records each migration in _prisma_migrations as `prisma migrate deploy` does", async () => {
    const { runner } = await freshDatabase();
    await applyMigrations(runner, { dir });

    const rows = await recorded(runner);
    expect(rows.map((r) => r.migration_name)).toEqual([CREATE, INSERT]);
    for (const row of rows) {
      const file = await readFile(path.join(dir, row.migration_name, "migration.sql"), "utf8");
      expect(row.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(row.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(row.applied_steps_count).toBe(1);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.finished_at!.getTime()).toBeGreaterThanOrEqual(row.started_at.getTime());
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
    }
  });

  it("refuses a migration edited after it was applied, naming it", async () => {
    const { runner } = await freshDatabase();
    await applyMigrations(runner, { dir });

    await writeMigration(INSERT, "INSERT INTO counter (n) VALUES (42);\n");
    await expect(applyMigrations(runner, { dir })).rejects.toThrow(`Migration ${INSERT} was modified after it was applied`);
  });

  it("accepts the same file checked out with CRLF line endings, as Prisma does", async () => {
    const { runner } = await freshDatabase();
    await applyMigrations(runner, { dir });

    await writeMigration(CREATE, MIGRATIONS[CREATE]!.replace(/\n/g, "\r\n"));
    expect(await applyMigrations(runner, { dir })).toEqual([]);
  });

  it("rolls a failing migration back entirely and records nothing, so a fixed file applies", async () => {
    const { runner } = await freshDatabase();
    const broken = "20240104000000_broken";
    await writeMigration(broken, "CREATE TABLE half_done (id INTEGER);\nINSERT INTO missing_table VALUES (1);\n");

    await expect(applyMigrations(runner, { dir })).rejects.toThrow(`Migration ${broken} failed and was rolled back`);
    expect((await recorded(runner)).map((r) => r.migration_name)).toEqual([CREATE, INSERT]);
    const { rows } = await runner.query<{ t: string | null }>("SELECT to_regclass('half_done')::text AS t");
    expect(rows[0]?.t).toBeNull();

    await writeMigration(broken, "CREATE TABLE half_done (id INTEGER);\n");
    expect(await applyMigrations(runner, { dir })).toEqual([broken]);
  });

  it("refuses to continue past a migration Prisma recorded as failed", async () => {
    const { runner } = await freshDatabase();
    await applyMigrations(runner, { dir });
    await runner.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, applied_steps_count) VALUES ($1, $2, $3, 0)`,
      ["00000000-0000-4000-8000-000000000000", "0".repeat(64), "20231231000000_failed_elsewhere"],
    );
    await expect(applyMigrations(runner, { dir })).rejects.toThrow("20231231000000_failed_elsewhere is recorded as failed");
  });

  it("queues runs that share one session instead of applying twice", async () => {
    const db = await freshDatabase();
    const other = await db.connect(); // the same session on PGlite, a second connection on PostgreSQL
    const results = await Promise.all([applyMigrations(db.runner, { dir }), applyMigrations(db.runner, { dir })]);

    expect(results.flat()).toEqual([CREATE, INSERT]);
    expect(await counted(other)).toBe(1);
  });

  it.skipIf(!base)("lets concurrent runners on one PostgreSQL database apply each migration once", async () => {
    const db = await freshDatabase();
    const runners = await Promise.all([db.connect(), db.connect(), db.connect()]);
    const results = await Promise.all(runners.map((r) => applyMigrations(r, { dir })));

    expect(results.flat().sort()).toEqual([CREATE, INSERT]);
    expect((await recorded(db.runner)).map((r) => r.migration_name)).toEqual([CREATE, INSERT]);
    expect(await counted(db.runner)).toBe(1);
  });

  it("is accepted by Prisma's schema engine, and accepts what the engine applied", async () => {
    // The WebAssembly build of the engine behind `prisma migrate deploy`, on in-memory PGlite.
    const { openSchemaEngine, readMigrationList, NO_FILTERS } = await import("@/scripts/schema-engine");
    const migrationsList = await readMigrationList(dir);
    const schema = { files: [{ path: "schema.prisma", content: 'datasource db {\n  provider = "postgresql"\n}\n' }] };

    const ours = await openSchemaEngine(schema);
    onTestFinished(() => ours.close());
    await applyMigrations(pgliteRunner(ours.db), { dir });
    const diagnosis = await ours.engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS });
    expect(diagnosis).toMatchObject({ editedMigrationNames: [], failedMigrationNames: [], history: null });
    expect((await ours.engine.applyMigrations({ migrationsList, filters: NO_FILTERS })).appliedMigrationNames).toEqual([]);

    const theirs = await openSchemaEngine(schema);
    onTestFinished(() => theirs.close());
    expect((await theirs.engine.applyMigrations({ migrationsList, filters: NO_FILTERS })).appliedMigrationNames).toEqual([CREATE, INSERT]);
    expect(await applyMigrations(pgliteRunner(theirs.db), { dir })).toEqual([]);
  });
});

describe("prepareDatabase", () => {
  it.skipIf(!isEmbeddedDatabase)("gives concurrent callers one shared run on the embedded database", async () => {
    const { prepareDatabase } = await import("@/lib/db/prepare-database");
    expect(prepareDatabase()).toBe(prepareDatabase());
    await prepareDatabase();
  });
});
