import { queryRows } from "@/lib/db/client";
import type { ClaimedRow, Outcome, QueueTable } from "@/lib/queue/queue-table";

export type Settled = { done: string[]; failed: string[]; dead: Outcome[]; released: string[]; lost: string[] };

const VALUE_EXPR = { text: "(v.vals->>'%')", int: "(v.vals->>'%')::int", timestamptz: "(v.vals->>'%')::timestamptz", jsonb: "(v.vals->'%')" } as const;

/**
 * Settles a claim's rows in one statement, each as its outcome says: done; failed and due again
 * after its backoff, or DEAD once it has used its attempts; failed for good; or released unfinished.
 * Only the claim's holder settles (`claimToken`): a row whose lease lapsed and was claimed again by
 * another drainer is left alone and reported as lost.
 */
export async function settleBatch(queue: QueueTable, token: string, claimed: ClaimedRow<unknown>[], outcomes: Outcome[]): Promise<Settled> {
  const attempts = new Map(claimed.map((r) => [r.id, r.attempts]));
  const { states } = queue;
  const settled: Settled = { done: [], failed: [], dead: [], released: [], lost: [] };
  const rows = outcomes.map((o) => {
    switch (o.kind) {
      case "done":
        settled.done.push(o.id);
        return { id: o.id, state: states.done, delay_ms: null, error: null, error_kind: null, release: false, vals: o.values ?? {} };
      case "release":
        settled.released.push(o.id);
        return { id: o.id, state: states.pending, delay_ms: o.delayMs ?? 0, error: o.error ?? null, error_kind: o.errorKind ?? null, release: true, vals: o.values ?? {} };
      case "fail":
        settled.failed.push(o.id);
        return { id: o.id, state: states.failed, delay_ms: null, error: o.error, error_kind: o.errorKind, release: false, vals: o.values ?? {} };
      case "retry": {
        const made = attempts.get(o.id) ?? queue.maxAttempts;
        const dead = made >= queue.maxAttempts;
        if (dead) settled.dead.push(o);
        else settled.failed.push(o.id);
        const delay = dead ? null : (o.delayMs ?? queue.retryDelayMs(made));
        return { id: o.id, state: dead ? states.dead : (states.retrying ?? states.failed), delay_ms: delay, error: o.error, error_kind: o.errorKind, release: false, vals: o.values ?? {} };
      }
    }
  });
  if (rows.length === 0) return settled;

  // Result columns: written when the outcome names them, kept otherwise.
  const results = Object.entries(queue.resultColumns)
    .map(([column, type]) => `, "${column}" = CASE WHEN v.vals -> '${column}' IS NOT NULL THEN ${VALUE_EXPR[type].replace("%", column)} ELSE t."${column}" END`)
    .join("");
  const updated = await queryRows<{ id: string }>(
    `UPDATE "${queue.table}" t SET
       state = v.state::"${queue.stateType}",
       attempts = CASE WHEN v.release THEN t.attempts - 1 ELSE t.attempts END,
       "nextAttemptAt" = CASE WHEN v.delay_ms IS NULL THEN NULL ELSE now() + v.delay_ms * interval '1 millisecond' END,
       "leaseUntil" = NULL,
       "claimToken" = NULL,
       "lastError" = CASE WHEN v.release AND v.error IS NULL THEN t."lastError" ELSE v.error END,
       "errorKind" = CASE WHEN v.release AND v.error IS NULL THEN t."errorKind" ELSE v.error_kind END,
       "processedAt" = CASE WHEN v.state = '${states.done}' THEN now() ELSE t."processedAt" END,
       "deadAt" = CASE WHEN v.state = '${states.dead}' THEN now() WHEN v.state = '${states.done}' THEN NULL ELSE t."deadAt" END
       ${results}
     FROM json_to_recordset($1::json) AS v(id text, state text, delay_ms int, error text, error_kind text, release boolean, vals jsonb)
     WHERE t.id = v.id AND t."claimToken" = $2::text
     RETURNING t.id`,
    [JSON.stringify(rows), token],
  );
  if (updated.length !== rows.length) {
    const kept = new Set(updated.map((r) => r.id));
    settled.lost = rows.map((r) => r.id).filter((id) => !kept.has(id));
    const lost = new Set(settled.lost);
    settled.done = settled.done.filter((id) => !lost.has(id));
    settled.failed = settled.failed.filter((id) => !lost.has(id));
    settled.released = settled.released.filter((id) => !lost.has(id));
    settled.dead = settled.dead.filter((o) => !lost.has(o.id));
  }
  return settled;
}
