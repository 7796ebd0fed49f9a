import pg from "pg";

// Round trips to PostgreSQL made by this process, whoever makes them: the app's pool, a library's own
// pool (pg-boss, graphile-worker) and the bench's pools all send through pg.Client#query (npm keeps one
// copy of `pg` for all of them). One call is one round trip, even when its text holds several
// statements (a BEGIN; …; COMMIT sent with the simple protocol). pg_stat_statements is not installed
// here, so this is how a bench compares what two engines ask of the database per item.

const counter = { calls: 0 };
let installed = false;

/** Starts counting (idempotent). Call before any client queries what a phase should count. */
export function countRoundTrips(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function countedQuery(this: unknown, ...args: unknown[]) {
    counter.calls++;
    return original.apply(this, args);
  };
}

/** Calls counted so far; subtract two readings to get a phase's round trips. */
export function roundTrips(): number {
  return counter.calls;
}

/** Runs `fn` and returns its result with the round trips made meanwhile (by anything in this process). */
export async function withRoundTrips<T>(fn: () => Promise<T>): Promise<{ result: T; roundTrips: number; ms: number }> {
  const before = counter.calls;
  const started = performance.now();
  const result = await fn();
  return { result, roundTrips: counter.calls - before, ms: performance.now() - started };
}
