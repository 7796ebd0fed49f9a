import { setTimeout as sleep } from "node:timers/promises";
import { queryRows } from "@/lib/db/client";
import { claimBatch } from "@/lib/queue/claim-batch";
import type { ClaimedRow, Outcome, QueueTable } from "@/lib/queue/queue-table";
import { settleBatch, type Settled } from "@/lib/queue/settle-batch";

export type BatchContext = {
  token: string;
  /** Epoch ms: stop starting new work by then and release what is unfinished (after making some progress). */
  deadline: number;
};

/** Processes a claimed batch and says what became of each row. Throwing fails the whole batch (retried). */
export type BatchHandler<Payload> = (rows: ClaimedRow<Payload>[], ctx: BatchContext) => Promise<Outcome[]>;

export type DrainSummary = { batches: number; claimed: number; done: number; failed: number; dead: number; released: number; lost: number; hasMore: boolean };

export type DrainOptions = {
  budgetMs: number;
  batchSize: number;
  /** Bound on the payload bytes of one batch (the queue's sizeColumn). */
  maxBatchBytes?: number;
  /** Called with the rows that went DEAD in each batch (alerts, activity). */
  onDead?: (dead: Outcome[]) => Promise<void>;
  /** Awaited before each batch but the first: where a drain gives way to other work (yieldToRequests). */
  pace?: () => Promise<void>;
  /**
   * When nothing is due, wait for a pending row that comes due within this many ms (and within the
   * budget) instead of stopping: a paced queue releases rows a few seconds ahead, and nothing else
   * would pick them up before the next kick. `hasMore` then also counts rows due within it.
   */
  awaitDueWithinMs?: number;
  signal?: AbortSignal;
};

/**
 * The drain: while rows are due and the budget lasts, claim a batch, process it, settle it. Any
 * number of drainers may run at once, in one process or many; each row is claimed by one of them.
 * Returns `hasMore` when it stopped with rows still due, so the caller hands on.
 */
export async function drainQueue<Payload>(queue: QueueTable, handle: BatchHandler<Payload>, options: DrainOptions): Promise<DrainSummary> {
  const deadline = Date.now() + options.budgetMs;
  const summary: DrainSummary = { batches: 0, claimed: 0, done: 0, failed: 0, dead: 0, released: 0, lost: 0, hasMore: false };
  // At least one batch, however small the budget: every invocation makes progress.
  do {
    if (summary.batches > 0) await options.pace?.();
    const claim = await claimBatch<Payload>(queue, { limit: options.batchSize, maxBytes: options.maxBatchBytes });
    if (claim.rows.length === 0) {
      const waitMs = options.awaitDueWithinMs ? await msUntilNextDue(queue, Math.min(options.awaitDueWithinMs, deadline - Date.now())) : null;
      if (waitMs === null) return summary;
      await sleep(waitMs, undefined, { signal: options.signal }).catch(() => undefined);
      if (options.signal?.aborted) break;
      continue;
    }
    const { settled } = await processClaim(queue, handle, claim.token, claim.rows, deadline);
    summary.batches++;
    summary.claimed += claim.rows.length;
    summary.done += settled.done.length;
    summary.failed += settled.failed.length;
    summary.dead += settled.dead.length;
    summary.released += settled.released.length;
    summary.lost += settled.lost.length;
    if (settled.dead.length > 0) await options.onDead?.(settled.dead);
  } while (Date.now() < deadline && !options.signal?.aborted);
  summary.hasMore = await hasDueRows(queue, options.awaitDueWithinMs ?? 0);
  return summary;
}

/** One summary for several drain loops run side by side. */
export function mergeSummaries(summaries: DrainSummary[]): DrainSummary {
  const total: DrainSummary = { batches: 0, claimed: 0, done: 0, failed: 0, dead: 0, released: 0, lost: 0, hasMore: false };
  for (const s of summaries) {
    for (const key of ["batches", "claimed", "done", "failed", "dead", "released", "lost"] as const) total[key] += s[key];
    total.hasMore ||= s.hasMore;
  }
  return total;
}

/** Runs the handler over claimed rows and settles them; a handler that throws fails every row it was given. */
export async function processClaim<Payload>(
  queue: QueueTable,
  handle: BatchHandler<Payload>,
  token: string,
  rows: ClaimedRow<Payload>[],
  deadline: number,
): Promise<{ outcomes: Outcome[]; settled: Settled }> {
  let outcomes: Outcome[];
  try {
    outcomes = await handle(rows, { token, deadline });
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    outcomes = rows.map((r) => ({ id: r.id, kind: "retry", error, errorKind: "PROCESSING" }));
  }
  return { outcomes, settled: await settleBatch(queue, token, rows, outcomes) };
}

/** Whether any row is due now, or within `withinMs` (cheap: the "nextAttemptAt" index). */
export async function hasDueRows(queue: QueueTable, withinMs = 0): Promise<boolean> {
  const rows = await queryRows<{ due: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "${queue.table}" WHERE "nextAttemptAt" <= now() + $1::int * interval '1 millisecond') AS due`,
    [Math.max(0, Math.round(withinMs))],
  );
  return rows[0]?.due === true;
}

/** Milliseconds until the next unclaimed row comes due, if within `withinMs`; else null (rows under a claim are not waited for). */
async function msUntilNextDue(queue: QueueTable, withinMs: number): Promise<number | null> {
  if (withinMs <= 0) return null;
  const rows = await queryRows<{ ms: number | null }>(
    `SELECT (extract(epoch FROM (min("nextAttemptAt") - now())) * 1000)::float8 AS ms FROM "${queue.table}"
      WHERE state <> '${queue.states.processing}'::"${queue.stateType}" AND "nextAttemptAt" <= now() + $1::int * interval '1 millisecond'`,
    [Math.round(withinMs)],
  );
  const ms = rows[0]?.ms;
  return ms === null || ms === undefined ? null : Math.max(0, Math.ceil(Number(ms)));
}
