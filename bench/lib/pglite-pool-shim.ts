import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

// Just enough of a pg.Pool over an in-process PGlite for graphile-worker, which ships no PGlite
// adapter and accepts only a connection string or a pg.Pool (bench/queue-choice.ts checks whether it
// can run on the app's embedded default at all). PGlite has one session, so this is a pool of one:
// a checkout holds it until release, because graphile-worker sends BEGIN and COMMIT as separate calls
// and any other statement in between would land inside its transaction. Bench-only: the app's own
// statements on the same PGlite (through Prisma) would not wait for this lock.

type QueryArg = string | { text: string; values?: unknown[]; name?: string };

export function pglitePoolShim(db: PGlite): pg.Pool {
  let held: Promise<void> = Promise.resolve();
  const run = async (q: QueryArg, values?: unknown[]) => {
    const text = typeof q === "string" ? q : q.text;
    const params = typeof q === "string" ? values : (q.values ?? values);
    if (params && params.length > 0) return db.query(text, params);
    // Without parameters the text may hold several statements: exec, and answer with the last result.
    const results = await db.exec(text);
    return results.at(-1) ?? { rows: [], fields: [] };
  };
  const connect = async () => {
    let release!: () => void;
    const previous = held;
    held = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const client = { query: run, release, on: () => client, once: () => client, removeListener: () => client, off: () => client };
    return client;
  };
  const pool = {
    connect,
    async query(q: QueryArg, values?: unknown[]) {
      const client = await connect();
      try {
        return await client.query(q, values);
      } finally {
        client.release();
      }
    },
    on: () => pool,
    once: () => pool,
    off: () => pool,
    removeListener: () => pool,
    // graphile-worker checks that "error" and "connect" listeners exist; PGlite has no socket to lose.
    listeners: () => [() => undefined],
    listenerCount: () => 1,
    end: async () => undefined,
  };
  return pool as unknown as pg.Pool;
}
