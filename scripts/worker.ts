// `npm run worker`: drains the webhook inbox and the outbox continuously — the same drains that run
// after every delivery, send and job call, in a loop — for self-hosted deployments that want
// processing (and retries, paced sends) independent of incoming traffic. Run as many as you like beside the web servers (each row is claimed by one
// drainer). Needs DATABASE_URL: the embedded PGlite belongs to the one process that opened it.
// SIGTERM/SIGINT: finish the batch in hand, then exit.
import { setTimeout as sleep } from "node:timers/promises";
import { closeDatabase } from "@/lib/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/log/logger";
import { drainOutbox } from "@/lib/outbound/drain-outbox";
import type { DrainSummary } from "@/lib/queue/drain-queue";
import { drainInbox } from "@/lib/webhooks/drain-inbox";

// How long an idle worker waits before looking again; the web process's own drains take new
// deliveries at once, so this only bounds the delay for rows that come due later (retries).
const IDLE_MS = 1_000;

if (!env.DATABASE_URL) {
  console.error("npm run worker needs DATABASE_URL: the embedded database is drained by the app's own process (npm run demo / npm start).");
  process.exit(1);
}

const stop = new AbortController();
for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => stop.abort());

logger.info("worker started: draining the webhook inbox and the outbox");

// One loop per queue: a slow paced outbox never holds up the inbox, nor the reverse.
async function loop(name: string, drain: (signal: AbortSignal) => Promise<DrainSummary>): Promise<number> {
  let total = 0;
  while (!stop.signal.aborted) {
    try {
      const slice = await drain(stop.signal);
      total += slice.claimed;
      if (slice.claimed > 0) logger.info({ queue: name, ...slice, total }, "drained");
      if (!slice.hasMore) await sleep(IDLE_MS, undefined, { signal: stop.signal }).catch(() => undefined);
    } catch (err) {
      // Database down or the like: the rows stay due; try again shortly.
      logger.error({ err, queue: name }, "drain failed; retrying");
      await sleep(5 * IDLE_MS, undefined, { signal: stop.signal }).catch(() => undefined);
    }
  }
  return total;
}

const [inbox, outbox] = await Promise.all([loop("inbox", (signal) => drainInbox({ signal })), loop("outbox", (signal) => drainOutbox({ signal }))]);
const total = inbox + outbox;
await closeDatabase();
logger.info({ total }, "worker stopped");
