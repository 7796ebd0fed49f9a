import { setTimeout as sleep } from "node:timers/promises";
import pLimit from "p-limit";
import type { Logger } from "pino";
import { prisma, queryRows } from "@/lib/db/client";
import { env } from "@/lib/env";
import { markTokenInvalid } from "@/lib/health/check-token-health";
import { invalidReason } from "@/lib/health/validate-token";
import { AppError } from "@/lib/http/app-error";
import { logger, scrubSecrets } from "@/lib/log/logger";
import { foldStatusEvents } from "@/lib/messages/fold-status-events";
import { passBreaker, recordSendFailure, recordSendSuccess, type BreakerGate } from "@/lib/outbound/circuit-breaker";
import { forgetToken, getCachedToken } from "@/lib/outbound/credential-cache";
import type { OutboxPayload } from "@/lib/outbound/outbox-queue";
import { planSendFailure } from "@/lib/outbound/plan-send-failure";
import { recordOutboundMessage } from "@/lib/outbound/record-outbound-message";
import { holdSendWindow } from "@/lib/outbound/hold-send-window";
import { reserveSendSlot } from "@/lib/outbound/reserve-send-slot";
import type { BatchContext } from "@/lib/queue/drain-queue";
import type { ClaimedRow, Outcome } from "@/lib/queue/queue-table";
import { sendMessage } from "@/lib/whatsapp/graph-client";
import { GraphError } from "@/lib/whatsapp/graph-error";

// The longest a claimed send waits for its paced slot: beyond it the row goes back to the queue, due
// at its slot, rather than holding a drainer (and its lease) for a recipient's pair rate.
export const SLOT_MAX_WAIT_MS = 5_000;
// When the recipient's pair rate is what holds a send back, it books only a slot this close: a pair slot
// booked further ahead would hold the whole number's pacing there (see reserveSendSlot). The send comes
// back when its recipient is free instead.
export const PAIR_MAX_WAIT_MS = 50;
// A send waiting for its number's token to be fixed looks again this often (the health check's
// recovery makes it due at once).
export const TOKEN_WAIT_MS = 15 * 60_000;
// The limiter's store down: nothing is sent; looked at again shortly — but after the drain's own
// wait for soon-due rows (10 s), so a drain stops rather than polling a dead Redis for its whole budget.
export const LIMITER_WAIT_MS = 15_000;

// Sends are paced a little under the configured limits: a send leaves when its slot comes, but timers
// and a busy event loop can make one a few ms late and bunch it with the next, and Meta counts what
// arrives. 5% leaves room for ~50 ms of such jitter per second without ever crossing the limit.
export const PACE_SHARE = 0.95;

type Row = ClaimedRow<OutboxPayload>;
type Connection = Awaited<ReturnType<typeof loadConnections>> extends Map<string, infer C> ? C : never;

/**
 * The outbox's batch handler: each claimed send, concurrently within the batch (the shared limiter
 * spaces them), goes through the number's token, circuit breaker and paced slot, then to Graph. Says
 * what became of each: sent, retried after a backoff, failed for good, or released to wait (pacing,
 * an open circuit, an invalid token, the limiter's store down) without using an attempt.
 */
export async function processOutboxBatch(rows: Row[], ctx: BatchContext): Promise<Outcome[]> {
  const log = logger.child({ claim: ctx.token });
  const connections = await loadConnections([...new Set(rows.map((r) => r.connectionId))]);
  const limit = pLimit(env.OUTBOX_SEND_CONCURRENCY);
  const batch: Batch = { ctx, log, invalidations: new Map(), gates: new Map(), probes: new Set(), shaky: new Set(), succeeded: new Set(), sent: [] };
  const outcomes = await Promise.all(
    rows.map((row) =>
      limit(async (): Promise<Outcome> => {
        try {
          return await processRow(row, connections.get(row.connectionId), batch);
        } catch (err) {
          log.error({ err, outboundId: row.id }, "outbound send failed unexpectedly");
          return { id: row.id, kind: "retry", errorKind: "PROCESSING", error: scrubSecrets(err instanceof Error ? err.message : String(err)).slice(0, 2000) };
        }
      }),
    ),
  );
  // Once per batch rather than per send: statuses that beat our inserts, and the breakers' good news.
  await foldStatusEvents(batch.sent);
  for (const connectionId of batch.succeeded) await recordSendSuccess(connectionId).catch((err: unknown) => log.warn({ err, connectionId }, "breaker success not recorded"));
  return outcomes;
}

type Batch = {
  ctx: BatchContext;
  log: Logger;
  /** One token incident per connection per batch, however many of its sends hit it at once. */
  invalidations: Map<string, Promise<void>>;
  /** The breaker asked once per connection per batch… */
  gates: Map<string, Promise<BreakerGate>>;
  /** …whose half-open probe only one send may use… */
  probes: Set<string>;
  /** …and per send once the batch has seen that connection fail, so an opening circuit stops the rest at once. */
  shaky: Set<string>;
  succeeded: Set<string>;
  /** wamids stored in this batch. */
  sent: string[];
};

async function gateFor(connectionId: string, batch: Batch): Promise<BreakerGate> {
  if (batch.shaky.has(connectionId)) return passBreaker(connectionId);
  let shared = batch.gates.get(connectionId);
  if (!shared) batch.gates.set(connectionId, (shared = passBreaker(connectionId)));
  const gate = await shared;
  if (!gate.allow || !gate.probe) return gate;
  if (!batch.probes.has(connectionId)) {
    batch.probes.add(connectionId);
    return gate;
  }
  // The probe is taken: ask for this send (refused while the probe is out).
  return passBreaker(connectionId);
}

async function loadConnections(ids: string[]) {
  const rows = await prisma.whatsAppConnection.findMany({
    where: { id: { in: ids } },
    select: { id: true, status: true, phoneNumberId: true, sendRatePerSecond: true, pairIntervalMs: true, token: true },
  });
  return new Map(rows.map((c) => [c.id, c]));
}

async function processRow(row: Row, c: Connection | undefined, batch: Batch): Promise<Outcome> {
  const { ctx, log } = batch;
  // Graph already answered for this row (its drainer died before settling): never send it again.
  if (row.wamid) {
    const messageId = await recordOutboundMessage(row, row.wamid);
    batch.sent.push(row.wamid);
    return { id: row.id, kind: "done", values: { messageId } };
  }
  if (!c || c.status === "REMOVED" || !c.token) {
    return { id: row.id, kind: "fail", errorKind: "DISCONNECTED", error: "The number was disconnected from WhaTrack: nothing was sent" };
  }
  if (c.status === "INVALID" || !c.token.isValid) {
    const why = c.token.invalidReason ?? "Meta rejected it";
    return { id: row.id, kind: "release", delayMs: TOKEN_WAIT_MS, errorKind: "AUTH", error: `The number's access token is invalid (${why}): the send waits until it is fixed` };
  }
  let token: string;
  try {
    token = getCachedToken(c.token);
  } catch (err) {
    log.error({ err, connectionId: c.id }, "access token cannot be opened");
    return { id: row.id, kind: "release", delayMs: TOKEN_WAIT_MS, errorKind: "AUTH", error: "The number's access token cannot be decrypted (encryption key missing or rotated away): the send waits" };
  }

  let sendAt: number;
  try {
    const gate = await gateFor(c.id, batch);
    if (!gate.allow) {
      const error = `Sends on this number are paused after repeated failures (circuit ${gate.state.replace("_", "-")}): tried again in ${Math.ceil(gate.retryInMs / 1000)} s`;
      return { id: row.id, kind: "release", delayMs: gate.retryInMs, errorKind: "BREAKER_OPEN", error };
    }
    const maxWaitMs = Math.max(0, Math.min(SLOT_MAX_WAIT_MS, ctx.deadline - Date.now()));
    const slot = await reserveSendSlot({
      connectionId: c.id,
      ratePerSecond: c.sendRatePerSecond * PACE_SHARE,
      to: row.to,
      pairIntervalMs: c.pairIntervalMs / PACE_SHARE,
      maxWaitMs,
      pairMaxWaitMs: PAIR_MAX_WAIT_MS,
    });
    // Pacing is not a failure: the row is due again at its slot, attempt not counted.
    if (!slot.ok) return { id: row.id, kind: "release", delayMs: slot.retryInMs };
    sendAt = slot.sendAt;
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "unavailable") throw err;
    // Fail closed: without the shared limiter nothing proves a send stays under Meta's limits.
    return { id: row.id, kind: "release", delayMs: LIMITER_WAIT_MS, errorKind: "LIMITER_DOWN", error: "The rate limiter's store (Redis) is unreachable: nothing was sent; tried again shortly" };
  }
  // Never early: a reserved slot is a promise to Meta's limits.
  const wait = sendAt - Date.now();
  if (wait > 0) await sleep(wait);
  // The same share as the pacing: requests that leave bunched may arrive bunched tighter still (their
  // writes wait for this event loop), and Meta counts what arrives.
  await holdSendWindow(c.id, Math.max(1, Math.floor(c.sendRatePerSecond * PACE_SHARE)));

  let wamid: string;
  try {
    ({ wamid } = await sendMessage({ token, phoneNumberId: c.phoneNumberId, to: row.to, type: row.type, content: row.body, replyToWamid: row.replyToWamid }));
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    return onGraphError(row, c, err, batch);
  }
  // Recorded before anything else: a drainer that dies from here on leaves a row that is settled, not sent again.
  await queryRows(`UPDATE "OutboundMessage" SET wamid = $2::text, "sentAt" = now(), "updatedAt" = now() WHERE id = $1::text AND "claimToken" = $3::text`, [row.id, wamid, ctx.token]);
  const messageId = await recordOutboundMessage(row, wamid);
  batch.sent.push(wamid);
  batch.succeeded.add(c.id);
  return { id: row.id, kind: "done", values: { messageId, errorCode: null, errorTitle: null, errorDetails: null } };
}

async function onGraphError(row: Row, c: Connection, err: GraphError, batch: Batch): Promise<Outcome> {
  const { log, invalidations } = batch;
  const meta = { errorCode: err.code, errorTitle: err.title, errorDetails: err.details };
  const plan = planSendFailure(err, row.attempts);
  log.warn({ outboundId: row.id, connectionId: c.id, graph: { code: err.code, kind: err.kind, httpStatus: err.httpStatus, fbtraceId: err.fbtraceId }, plan: plan.action }, "outbound send refused by Graph");
  const count = (kind: "transient" | "auth" | "restricted") => {
    batch.shaky.add(c.id);
    return recordSendFailure(c.id, kind).catch((e: unknown) => log.warn({ err: e, connectionId: c.id }, "breaker failure not recorded"));
  };
  switch (plan.action) {
    case "retry":
      if (plan.breaker) await count(plan.breaker);
      return { id: row.id, kind: "retry", errorKind: plan.errorKind, error: err.message, delayMs: plan.delayMs, values: meta };
    case "fail":
      if (plan.breaker) await count(plan.breaker);
      return { id: row.id, kind: "fail", errorKind: plan.errorKind, error: plan.reason, values: meta };
    case "token_invalid": {
      const reason = invalidReason(err.code, err.subcode, err.title ?? err.message);
      if (!invalidations.has(c.id)) {
        invalidations.set(
          c.id,
          (async () => {
            forgetToken(c.token!.id);
            await markTokenInvalid(c.id, { reason, code: err.code, subcode: err.subcode }, log);
            await count("auth");
          })(),
        );
      }
      await invalidations.get(c.id);
      // Waits for the token, attempt not counted: a dead token is the number's problem, not the message's.
      return { id: row.id, kind: "release", delayMs: TOKEN_WAIT_MS, errorKind: "AUTH", error: `${reason}: the send waits until the token is fixed`, values: meta };
    }
  }
}
