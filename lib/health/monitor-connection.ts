import type { Logger } from "pino";
import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { openToken } from "@/lib/crypto/token-vault";
import type { Prisma } from "@/lib/generated/prisma/client";
import { logger } from "@/lib/log/logger";
import { connectionCriticalEmail } from "@/lib/alerts/templates/connection-critical-email";
import { connectionRecoveredEmail } from "@/lib/alerts/templates/connection-recovered-email";
import { connectionLevel, type ConnectionLevel } from "@/lib/health/connection-state";
import { graphRateLimit, type RateLimited } from "@/lib/health/graph-rate-limit";
import { observeConnection, type Observation } from "@/lib/health/observe-connection";
import { sendOwnerAlert } from "@/lib/health/send-owner-alert";
import type { SweepCounts } from "@/lib/health/sweep-connections";
import { isExpiringSoon } from "@/lib/health/token-health-status";

// One connection's monitor pass: observe it through Graph, then record what changed. Online/offline
// history is the ConnectionTransition rows (the last one is the state we believed); the connection row
// carries the current incident (offlineSince) and the alert bookkeeping (lastAlertedAt). Owners hear of
// an incident once when it turns Critical, and once more when it ends.

export interface MonitorConnectionOptions {
  rateLimited?: RateLimited;
  log?: Logger;
  criticalAfterMs?: number;
  /** Our Meta app id, to recognise our webhook subscription; defaults to META_APP_ID. */
  appId?: string | null;
}

async function loadConnection(connectionId: string) {
  return prisma.whatsAppConnection.findUnique({
    where: { id: connectionId },
    include: { token: true, workspace: { select: { name: true } }, transitions: { orderBy: { at: "desc" }, take: 1 } },
  });
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadConnection>>>;

/** What this pass concluded, before it is written. */
interface Verdict {
  now: Date;
  previous: boolean | null;
  /** The observation's verdict, or the previous state when the observation gave none. */
  online: boolean | null;
  offlineSince: Date | null;
  level: ConnectionLevel;
  changed: boolean;
  reason: string;
}

function decide(c: Loaded, obs: Observation, criticalAfterMs: number): Verdict {
  const now = new Date();
  const last = c.transitions[0] ?? null;
  const previous = last?.online ?? null;
  const online = obs.online ?? previous;
  const offlineSince = online === false ? (previous === false ? (c.offlineSince ?? last?.at ?? now) : now) : null;
  const level = connectionLevel({ online, offlineSince, now, criticalAfterMs });
  // Without a verdict of its own, an ongoing incident keeps the reason it was opened with.
  const reason = obs.online === null && online === false ? (c.healthReason ?? obs.reason) : obs.reason;
  return { now, previous, online, offlineSince, level, changed: online !== null && online !== previous, reason };
}

const nameOf = (c: Loaded) => c.name ?? c.verifiedName ?? c.displayPhoneNumber ?? c.phoneNumberId;

function activity(c: Loaded, type: string, summary: string, incident: Date | null, data: Prisma.InputJsonValue = {}) {
  return { workspaceId: c.workspaceId, connectionId: c.id, type, summary: `${nameOf(c)}: ${summary}`, data, dedupeKey: `${type}:${c.id}:${incident?.getTime() ?? "none"}` };
}

/** Facts Graph reported, stored whatever the verdict. */
function observedFields(obs: Observation, now: Date): Prisma.WhatsAppConnectionUpdateInput {
  return {
    ...(obs.number ? { numberStatus: obs.number.status, qualityRating: obs.number.qualityRating, messagingLimit: obs.number.messagingLimit } : {}),
    ...(obs.subscribed !== null ? { webhookSubscribed: obs.subscribed, subscriptionCheckAt: now } : {}),
  };
}

/** The connection's state fields for the verdict; null when a pass without a verdict has nothing to change (not offline). */
function stateFields(c: Loaded, obs: Observation, v: Verdict): Prisma.WhatsAppConnectionUpdateManyMutationInput | null {
  if (v.online === null || (obs.online === null && v.online)) return null;
  if (!v.online) {
    return { status: "DISCONNECTED", offlineSince: v.offlineSince, healthStatus: v.level, healthReason: v.reason, ...(v.changed ? { lastDisconnectedAt: v.now } : {}) };
  }
  // Online, but a token about to expire keeps the token check's warning visible.
  const expiresAt = c.token?.expiresAt ?? null;
  const expiring = expiresAt !== null && isExpiringSoon(expiresAt, v.now);
  const healthReason = expiring ? `Access token expires on ${expiresAt.toISOString()}` : null;
  return { status: "ACTIVE", offlineSince: null, lastConnectedAt: v.now, healthStatus: expiring ? "WARNING" : "HEALTHY", healthReason };
}

async function recordResubscribe(tx: Prisma.TransactionClient, c: Loaded, obs: Observation, now: Date): Promise<void> {
  const attempt = obs.resubscribe;
  if (!attempt) return;
  const details = { action: "resubscribe", ok: attempt.ok, wabaId: c.wabaId, ...(attempt.error ? { kind: attempt.error.kind, httpStatus: attempt.error.httpStatus } : {}) };
  await tx.healthCheck.create({
    data: {
      workspaceId: c.workspaceId,
      connectionId: c.id,
      kind: "subscription",
      result: attempt.ok ? "HEALTHY" : "ERROR",
      latencyMs: attempt.latencyMs,
      errorCode: attempt.error?.code ?? null,
      errorMessage: attempt.error?.message ?? null,
      details,
    },
  });
  const type = attempt.ok ? "connection.resubscribed" : "connection.resubscribe_failed";
  const summary = attempt.ok ? "webhook subscription was lost; re-subscribed" : `webhook subscription is lost and re-subscribing failed: ${attempt.error?.message ?? "unknown error"}`;
  await tx.activityEvent.createMany({ data: activity(c, type, summary, now, details), skipDuplicates: true });
}

function numberCheck(c: Loaded, obs: Observation, v: Verdict): Prisma.HealthCheckUncheckedCreateInput {
  return {
    workspaceId: c.workspaceId,
    connectionId: c.id,
    kind: "number",
    // What this probe found: a pass without a verdict is UNKNOWN even while an incident goes on.
    result: obs.online === null ? "UNKNOWN" : v.level,
    latencyMs: obs.latencyMs,
    errorCode: obs.error?.code ?? null,
    errorMessage: obs.error?.message ?? null,
    details: {
      reason: obs.reason,
      status: obs.number?.status ?? null,
      qualityRating: obs.number?.qualityRating ?? null,
      messagingLimit: obs.number?.messagingLimit ?? null,
      canSendMessage: obs.canSendMessage,
      subscribed: obs.subscribed,
    },
  };
}

async function recordTransition(tx: Prisma.TransactionClient, c: Loaded, v: Verdict): Promise<void> {
  const reason = v.previous === null ? `first check: ${v.reason}` : v.reason;
  await tx.connectionTransition.create({ data: { connectionId: c.id, online: v.online === true, reason, at: v.now } });
  if (v.online === false) {
    await tx.activityEvent.createMany({ data: activity(c, "connection.offline", `went offline (${v.reason})`, v.offlineSince), skipDuplicates: true });
  } else if (v.previous === false) {
    const summary = `back online${c.offlineSince ? ` after ${Math.round((v.now.getTime() - c.offlineSince.getTime()) / 60_000)} min` : ""}`;
    await tx.activityEvent.createMany({ data: activity(c, "connection.recovered", summary, c.offlineSince), skipDuplicates: true });
  }
}

/** Writes the pass in one transaction; false when the connection left ACTIVE/DISCONNECTED meanwhile (not ours to change). */
async function record(c: Loaded, obs: Observation, v: Verdict): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await tx.whatsAppConnection.update({ where: { id: c.id }, data: observedFields(obs, v.now) });
    await tx.healthCheck.create({ data: numberCheck(c, obs, v) });
    await recordResubscribe(tx, c, obs, v.now);
    const fields = stateFields(c, obs, v);
    if (!fields) return false;
    // Guarded: the token check may have just set INVALID, or the owner removed the number.
    const { count } = await tx.whatsAppConnection.updateMany({ where: { id: c.id, status: { in: ["ACTIVE", "DISCONNECTED"] } }, data: fields });
    if (count === 0) return false;
    if (v.changed) await recordTransition(tx, c, v);
    if (v.level === "CRITICAL") {
      const summary = `offline since ${v.offlineSince!.toISOString()}: ${v.reason}`;
      await tx.activityEvent.createMany({ data: activity(c, "connection.critical", summary, v.offlineSince), skipDuplicates: true });
    }
    return true;
  });
}

const alertedFor = (c: Loaded, incident: Date | null) => c.lastAlertedAt != null && incident != null && c.lastAlertedAt >= incident;

async function alertCritical(c: Loaded, v: Verdict, log: Logger): Promise<SweepCounts> {
  const offlineSince = v.offlineSince!;
  const email = connectionCriticalEmail({
    workspaceName: c.workspace.name,
    connectionName: nameOf(c),
    displayPhoneNumber: c.displayPhoneNumber,
    offlineSince,
    lastConnectedAt: c.lastConnectedAt,
    reason: v.reason,
    now: v.now,
  });
  const counts = await sendOwnerAlert({ workspaceId: c.workspaceId, connectionId: c.id, dedupeKey: `connection-critical:${c.id}:${offlineSince.getTime()}`, email }, log);
  // Marked only when the alert went through, so a failed one is retried (under the same key) next pass.
  if (!counts.alertFailed) await prisma.whatsAppConnection.update({ where: { id: c.id }, data: { lastAlertedAt: v.now } });
  return counts;
}

async function alertRecovered(c: Loaded, v: Verdict, log: Logger): Promise<SweepCounts> {
  const offlineSince = c.offlineSince!;
  const email = connectionRecoveredEmail({ workspaceName: c.workspace.name, connectionName: nameOf(c), displayPhoneNumber: c.displayPhoneNumber, offlineSince, recoveredAt: v.now });
  return sendOwnerAlert({ workspaceId: c.workspaceId, connectionId: c.id, dedupeKey: `connection-recovered:${c.id}:${offlineSince.getTime()}`, email }, log);
}

async function alert(c: Loaded, v: Verdict, log: Logger): Promise<SweepCounts> {
  if (v.level === "CRITICAL" && !alertedFor(c, v.offlineSince)) return alertCritical(c, v, log);
  // Only an incident the owners were told about gets a recovery email.
  if (v.changed && v.online && v.previous === false && alertedFor(c, c.offlineSince)) return alertRecovered(c, v, log);
  return {};
}

function merge(...parts: SweepCounts[]): SweepCounts {
  const out: SweepCounts = {};
  for (const part of parts) for (const [k, n] of Object.entries(part)) out[k] = (out[k] ?? 0) + n;
  return out;
}

/** Observes one connection through Graph and records its state, transitions and alerts. */
export async function monitorConnection(connectionId: string, options: MonitorConnectionOptions = {}): Promise<SweepCounts> {
  const log = options.log ?? logger;
  const c = await loadConnection(connectionId);
  if (!c?.token?.isValid) return { skipped: 1 };
  const obs = await observeConnection({
    token: openToken(c.token, c.workspaceId),
    phoneNumberId: c.phoneNumberId,
    wabaId: c.wabaId,
    appId: options.appId === undefined ? (env.META_APP_ID ?? null) : options.appId,
    rateLimited: options.rateLimited ?? graphRateLimit(env.HEALTH_CHECK_RATE_PER_SECOND),
  });
  const v = decide(c, obs, options.criticalAfterMs ?? env.CONNECTION_CRITICAL_AFTER_HOURS * 3_600_000);
  const applied = await record(c, obs, v);
  // The level the connection is left at (kept from before on a pass without a verdict, which `transient` counts).
  const counts: SweepCounts = {
    [v.level.toLowerCase()]: 1,
    ...(obs.online === null ? { transient: 1 } : {}),
    ...(obs.resubscribe ? { [obs.resubscribe.ok ? "reconnected" : "resubscribeFailed"]: 1 } : {}),
  };
  return applied ? merge(counts, await alert(c, v, log)) : counts;
}
