import { logger } from "@/lib/log/logger";
import type { DrainSummary } from "@/lib/queue/drain-queue";

type Drainer = { owner: object | null; again: boolean };

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
  if (!d) drainers.set(options.queue, (d = { owner: null, again: false }));
  if (d.owner) {
    d.again = true;
    return;
  }
  const me = {};
  d.owner = me;
  let sliceStart = Date.now();
  try {
    for (;;) {
      d.again = false;
      // Each round drains at least once (a drain always takes one batch), so even a spent budget moves on.
      const summary = await options.drain(Math.max(0, options.budgetMs - (Date.now() - sliceStart)));
      const more = summary.hasMore || d.again;
      if (!more) break;
      if (Date.now() - sliceStart < options.budgetMs) continue;
      // Budget spent with rows still due. Step aside first: the invocation the hand-on starts may
      // land in this very process, and its kick must start a drainer, not be absorbed by this one.
      d.owner = null;
      if (await options.handOn()) return;
      if (d.owner) return; // another kick took over meanwhile
      d.owner = me;
      sliceStart = Date.now();
    }
  } catch (err) {
    // The rows stay due (or their leases lapse): the next kick, job or worker takes them.
    logger.error({ err, queue: options.queue }, "drain stopped on an error");
  } finally {
    if (d.owner === me) d.owner = null;
  }
}

/** Whether this process is draining the queue now (for tests and the worker's shutdown). */
export function isDraining(queue: string): boolean {
  return Boolean(drainers.get(queue)?.owner);
}
