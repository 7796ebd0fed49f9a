import { randomUUID } from "node:crypto";
import { queryRows } from "@/lib/db/client";
import type { ClaimedRow, QueueTable } from "@/lib/queue/queue-table";

export type Claim<Payload> = { token: string; rows: ClaimedRow<Payload>[] };

/**
 * Claims up to `limit` due rows for one drainer: `FOR UPDATE SKIP LOCKED`, so drainers in any number
 * of processes take disjoint rows without waiting on each other, and one statement that marks them
 * PROCESSING under a fresh claim token with a lease. While claimed a row is due again at the lease's
 * end: a drainer that dies simply lets its rows come back.
 *
 * `ids` narrows the claim to those rows; `replay` also takes failed and dead rows that are not due
 * (a person asked for it).
 */
export async function claimBatch<Payload>(queue: QueueTable, options: { limit: number; ids?: string[]; replay?: boolean }): Promise<Claim<Payload>> {
  const token = randomUUID();
  const { table, stateType, states } = queue;
  const due = options.replay
    ? `(t."nextAttemptAt" <= now() OR t.state IN ('${states.failed}', '${states.dead}'))`
    : `t."nextAttemptAt" <= now()`;
  const only = options.ids ? `AND t.id IN (SELECT json_array_elements_text($4::json))` : "";
  const payload = queue.payloadColumns.map((c) => `, t."${c}"`).join("");
  const params: unknown[] = [options.limit, token, queue.leaseMs];
  if (options.ids) params.push(JSON.stringify(options.ids));
  const rows = await queryRows<ClaimedRow<Payload>>(
    `WITH picked AS (
       SELECT t.id FROM "${table}" t WHERE ${due} ${only}
       ORDER BY t."nextAttemptAt" LIMIT $1::int FOR UPDATE SKIP LOCKED
     )
     UPDATE "${table}" t SET state = '${states.processing}'::"${stateType}", "claimToken" = $2::text, attempts = t.attempts + 1,
       "leaseUntil" = now() + $3::int * interval '1 millisecond', "nextAttemptAt" = now() + $3::int * interval '1 millisecond'
     FROM picked WHERE t.id = picked.id
     RETURNING t.id, t.attempts${payload}`,
    params,
  );
  return { token, rows };
}

/** Extends the claim's lease; returns the ids still held (a row whose lease lapsed may be someone else's now). */
export async function renewClaim(queue: QueueTable, token: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    `UPDATE "${queue.table}" SET "leaseUntil" = now() + $2::int * interval '1 millisecond', "nextAttemptAt" = now() + $2::int * interval '1 millisecond'
     WHERE "claimToken" = $1::text AND state = '${queue.states.processing}'::"${queue.stateType}" RETURNING id`,
    [token, queue.leaseMs],
  );
  return rows.map((r) => r.id);
}
