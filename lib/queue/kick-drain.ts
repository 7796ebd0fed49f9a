import { logger } from "@/lib/log/logger";
import type { DrainSummary } from "@/lib/queue/drain-queue";

type Drainer = { running: boolean; again: boolean };

// One drainer per queue per process: a burst of deliveries starts one loop, not one per request,
// so memory and database connections stay bounded whatever the rate. On globalThis because Next
// loads route handlers as separate module graphs in one process.
const g = globalThis as typeof globalThis & { __whatrackDrainers?: Map<string, Drainer> };
const drainers = (g.__whatrackDrainers ??= new Map());

export type KickOptions = {
  queue: string;
  /** One bounded drain; returns whether rows are still due. */
  drain: (budgetMs: number) => Promise<DrainSummary>;
  /** Time this invocation may spend draining (below the route's maxDuration). */
  budgetMs: number;
  /**
   * Called when the budget is spent with rows still due: starts a fresh invocation elsewhere (a
   * self-call) and returns true, or returns false to keep draining here (a long-running server).
   */
  handOn: () => Promise<boolean>;
};

/**
 * Starts this process's drainer for a queue, or, if it is already running, tells it to look again
 * before it stops (so a row stored while it finished is not left behind). Resolves when the drainer
 * this call started stops; at once if another call's drainer is running.
 */
export async function kickDrain(options: KickOptions): Promise<void> {
  let d = drainers.get(options.queue);
  if (!d) drainers.set(options.queue, (d = { running: false, again: false }));
  if (d.running) {
    d.again = true;
    return;
  }
  d.running = true;
  let sliceStart = Date.now();
  try {
    for (;;) {
      d.again = false;
      const left = options.budgetMs - (Date.now() - sliceStart);
      const summary = left > 0 ? await options.drain(left) : null;
      const more = summary === null || summary.hasMore || d.again;
      if (!more) break;
      if (Date.now() - sliceStart < options.budgetMs) continue;
      if (await options.handOn()) break;
      sliceStart = Date.now();
    }
  } catch (err) {
    // The rows stay due (or their leases lapse): the next kick, job or worker takes them.
    logger.error({ err, queue: options.queue }, "drain stopped on an error");
  } finally {
    d.running = false;
  }
}

/** Whether this process is draining the queue now (for tests and the worker's shutdown). */
export function isDraining(queue: string): boolean {
  return drainers.get(queue)?.running ?? false;
}
