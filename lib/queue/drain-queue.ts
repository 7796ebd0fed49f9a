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
    if (claim.rows.length === 0) return summary;
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
  summary.hasMore = await hasDueRows(queue);
  return summary;
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

/** Whether any row is due now (cheap: the "nextAttemptAt" index). */
export async function hasDueRows(queue: QueueTable): Promise<boolean> {
  const rows = await queryRows<{ due: boolean }>(`SELECT EXISTS (SELECT 1 FROM "${queue.table}" WHERE "nextAttemptAt" <= now()) AS due`, []);
  return rows[0]?.due === true;
}
