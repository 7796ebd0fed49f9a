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
export async function claimBatch<Payload>(
  queue: QueueTable,
  options: { limit: number; maxBytes?: number; ids?: string[]; replay?: boolean },
): Promise<Claim<Payload>> {
  const token = randomUUID();
  const { table, stateType, states } = queue;
  const due = options.replay
    ? `(t."nextAttemptAt" <= now() OR t.state IN ('${states.failed}', '${states.dead}'))`
    : `t."nextAttemptAt" <= now()`;
  const only = options.ids ? `AND t.id IN (SELECT json_array_elements_text($5::json))` : "";
  const payload = queue.payloadColumns.map((c) => `, t."${c}"`).join("");
  // The first row always; then rows while the batch's payloads stay within maxBytes (octet_length
  // reads the stored size, not the value). Rows picked but not chosen are unlocked at statement end.
  const size = queue.sizeColumn ? `octet_length(t."${queue.sizeColumn}")` : "0";
  const params: unknown[] = [options.limit, token, queue.leaseMs, options.maxBytes ?? Number.MAX_SAFE_INTEGER];
  if (options.ids) params.push(JSON.stringify(options.ids));
  const rows = await queryRows<ClaimedRow<Payload>>(
    `WITH picked AS (
       SELECT t.id, t."nextAttemptAt" AS due_at, ${size} AS bytes FROM "${table}" t WHERE ${due} ${only}
       ORDER BY t."nextAttemptAt" LIMIT $1::int FOR UPDATE SKIP LOCKED
     ), chosen AS (
       SELECT id FROM (SELECT id, sum(bytes) OVER (ORDER BY due_at, id) AS running, row_number() OVER (ORDER BY due_at, id) AS n FROM picked) s
       WHERE n = 1 OR running <= $4::bigint
     )
     UPDATE "${table}" t SET state = '${states.processing}'::"${stateType}", "claimToken" = $2::text, attempts = t.attempts + 1,
       "leaseUntil" = now() + $3::int * interval '1 millisecond', "nextAttemptAt" = now() + $3::int * interval '1 millisecond'
     FROM chosen WHERE t.id = chosen.id
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
