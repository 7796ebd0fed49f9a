import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedDatabaseError, openEmbeddedDatabase } from "@/lib/db/open-embedded-database";

// On a real PGlite data directory: what a crash can leave behind, and a directory beyond repair.
describe("openEmbeddedDatabase", () => {
  const root = mkdtempSync(path.join(tmpdir(), "whatrack-open-"));
  const template = path.join(root, "template");
  let n = 0;
  const freshCopy = () => {
    const dir = path.join(root, `db${++n}`);
    cpSync(template, dir, { recursive: true });
    return dir;
  };

  beforeAll(async () => {
    const db = await openEmbeddedDatabase(template);
    await db.pglite.exec("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1)");
    await db.close();
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("opens over an empty postmaster.pid (killed while starting), which PostgreSQL alone refuses", async () => {
    const dir = freshCopy();
    writeFileSync(path.join(dir, "postmaster.pid"), "");
    const db = await openEmbeddedDatabase(dir);
    expect((await db.pglite.query<{ id: number }>("SELECT id FROM t")).rows).toEqual([{ id: 1 }]);
    await db.close();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    expect(existsSync(path.join(dir, "postmaster.pid"))).toBe(false);
  }, 60_000);

  it("refuses a directory another live process holds, in one line naming it", async () => {
    const dir = freshCopy();
    writeFileSync(`${dir}.lock`, `${process.ppid}\n`);
    await expect(openEmbeddedDatabase(dir)).rejects.toThrow(new EmbeddedDatabaseError(`The embedded database in ${dir} is in use by process ${process.ppid}: stop it first (one process per data directory). If no WhaTrack process is running, delete ${dir}.lock.`));
  });

  it("fails on a directory beyond recovery with one line: PostgreSQL's reason and how to recover", async () => {
    const dir = freshCopy();
    for (const segment of readdirSync(path.join(dir, "pg_wal")).filter((f) => /^[0-9A-F]{24}$/.test(f))) rmSync(path.join(dir, "pg_wal", segment));
    const error = await openEmbeddedDatabase(dir).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EmbeddedDatabaseError);
    const message = (error as Error).message;
    expect(message).not.toContain("\n");
    expect(message).toContain(`The embedded database in ${dir} cannot be opened (PANIC: could not locate a valid checkpoint record`);
    expect(message).toContain(`No backup exists: move ${dir} aside`);
    expect(existsSync(`${dir}.lock`)).toBe(false); // released, so db:restore can take it
  }, 60_000);
});
