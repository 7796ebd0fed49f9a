import type { Logger } from "pino";
import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { openToken } from "@/lib/crypto/token-vault";
import { logger } from "@/lib/log/logger";
import { appAccessToken } from "@/lib/whatsapp/graph-client";
import { tokenExpiringEmail } from "@/lib/alerts/templates/token-expiring-email";
import { tokenInvalidEmail } from "@/lib/alerts/templates/token-invalid-email";
import { graphRateLimit, type RateLimited } from "@/lib/health/graph-rate-limit";
import { sendOwnerAlert } from "@/lib/health/send-owner-alert";
import type { SweepCounts } from "@/lib/health/sweep-connections";
import { connectionHealthAfterTokenCheck, isExpiringSoon, tokenCheckResult } from "@/lib/health/token-health-status";
import { validateToken, type TokenVerdict } from "@/lib/health/validate-token";

// One connection's token check: ask Graph, write a HealthCheck row, update the vault and the connection,
// record activity and tell the owners once per incident. Counts come back in the health sweep's terms:
// healthy | warning | error (token invalid) | transient (no verdict), plus notified.

export interface CheckTokenHealthOptions {
  /** Defaults to the configured app token (debug_token); null forces the phone-number probe. */
  appToken?: string | null;
  rateLimited?: RateLimited;
  log?: Logger;
}

async function loadConnection(connectionId: string) {
  return prisma.whatsAppConnection.findUnique({
    where: { id: connectionId },
    include: { token: true, workspace: { select: { name: true } } },
  });
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadConnection>>>;
type WithToken = Loaded & { token: NonNullable<Loaded["token"]> };

function describe(c: Loaded) {
  return {
    workspaceName: c.workspace.name,
    connectionName: c.name ?? c.verifiedName ?? c.displayPhoneNumber ?? c.phoneNumberId,
    displayPhoneNumber: c.displayPhoneNumber,
  };
}

function checkRow(c: Loaded, verdict: TokenVerdict, result: ReturnType<typeof tokenCheckResult>, details: Record<string, unknown>) {
  const error = verdict.state === "inconclusive" ? verdict.error : null;
  return prisma.healthCheck.create({
    data: {
      workspaceId: c.workspaceId,
      connectionId: c.id,
      kind: "token",
      result,
      latencyMs: verdict.latencyMs,
      errorCode: verdict.state === "invalid" ? verdict.code : (error?.code ?? null),
      errorMessage: verdict.state === "invalid" ? verdict.reason : (error?.message ?? null),
      details: { method: verdict.method, ...(error ? { kind: error.kind, httpStatus: error.httpStatus } : {}), ...details },
    },
  });
}

/** The connection's healthStatus write, if the check changes it (zero or one statement for a transaction). */
function healthUpdate(c: Loaded, result: ReturnType<typeof tokenCheckResult>, reason: string | null) {
  const next = connectionHealthAfterTokenCheck({ result, current: c.healthStatus, offline: c.offlineSince != null });
  const unchanged = next === null || (next === c.healthStatus && reason === c.healthReason);
  return unchanged ? [] : [prisma.whatsAppConnection.update({ where: { id: c.id }, data: { healthStatus: next, healthReason: reason } })];
}

async function recordValid(c: WithToken, verdict: Extract<TokenVerdict, { state: "valid" }>, log: Logger): Promise<SweepCounts> {
  const now = new Date();
  // The probe does not tell the expiry: keep what debug_token said last time.
  const expiresAt = verdict.expiresAt === undefined ? c.token.expiresAt : verdict.expiresAt;
  const expiring = isExpiringSoon(expiresAt, now);
  const result = tokenCheckResult(verdict, expiring);
  const recovered = !c.token.isValid || c.status === "INVALID";
  const reason = expiring && expiresAt ? `Access token expires on ${expiresAt.toISOString()}` : null;
  const activities = [
    ...(recovered ? [tokenActivity(c, "token.recovered", "Access token is valid again", `${c.token.invalidAt?.getTime() ?? "unknown"}`)] : []),
    ...(expiring && expiresAt ? [tokenActivity(c, "token.expiring", reason ?? "", `${expiresAt.getTime()}`)] : []),
  ];
  // Only the statements this outcome needs: the common case (healthy, and healthy before) is two writes.
  await prisma.$transaction([
    prisma.accessToken.update({ where: { id: c.token.id }, data: { isValid: true, invalidReason: null, invalidAt: null, lastValidatedAt: now, expiresAt } }),
    checkRow(c, verdict, result, { expiresAt: expiresAt?.toISOString() ?? null }),
    // Recovery: only an INVALID connection comes back; DISCONNECTED and REMOVED belong to others.
    ...(recovered ? [prisma.whatsAppConnection.updateMany({ where: { id: c.id, status: "INVALID" }, data: { status: "ACTIVE" } })] : []),
    // Sends that waited for the token (lib/outbound/) are due now rather than at their long delay.
    ...(recovered ? [prisma.outboundMessage.updateMany({ where: { connectionId: c.id, state: "QUEUED", errorKind: "AUTH" }, data: { nextAttemptAt: now } })] : []),
    ...healthUpdate(c, result, reason),
    ...(activities.length > 0 ? [prisma.activityEvent.createMany({ data: activities, skipDuplicates: true })] : []),
  ]);
  const counts: SweepCounts = { [expiring ? "warning" : "healthy"]: 1, ...(recovered ? { recovered: 1 } : {}) };
  if (!expiring || !expiresAt) return counts;
  const email = tokenExpiringEmail({ ...describe(c), expiresAt, now });
  return { ...counts, ...(await sendOwnerAlert({ workspaceId: c.workspaceId, connectionId: c.id, dedupeKey: `token-expiring:${c.token.id}:${expiresAt.getTime()}`, email }, log)) };
}

function tokenActivity(c: WithToken, type: string, summary: string, incident: string) {
  const name = describe(c).connectionName;
  return { workspaceId: c.workspaceId, connectionId: c.id, type, summary: `${name}: ${summary}`, data: { tokenId: c.token.id }, dedupeKey: `${type}:${c.token.id}:${incident}` };
}

/** What made a token invalid: Meta's auth error, in words an owner can act on. */
export type TokenFailure = { reason: string; code: number | null; subcode: number | null };

/**
 * The one way a token becomes invalid — a health check's verdict or a send's auth error: the token
 * flagged, the connection INVALID, its health ERROR, one activity and one owner alert per incident.
 * `extra` rides in the same transaction (the health check's own HealthCheck row).
 */
async function recordInvalid(c: WithToken, failure: TokenFailure, extra: Prisma.PrismaPromise<unknown>[], log: Logger): Promise<SweepCounts> {
  const now = new Date();
  // The incident starts when the token was first found invalid; later checks keep that moment, so the
  // activity and the email (keyed by it) happen once per incident however many sweeps see it.
  const invalidAt = (!c.token.isValid && c.token.invalidAt) || now;
  await prisma.$transaction([
    prisma.accessToken.update({ where: { id: c.token.id }, data: { isValid: false, invalidReason: failure.reason, invalidAt, lastValidatedAt: now } }),
    ...extra,
    prisma.whatsAppConnection.updateMany({ where: { id: c.id, status: { in: ["ACTIVE", "DISCONNECTED"] } }, data: { status: "INVALID" } }),
    ...healthUpdate(c, "ERROR", failure.reason),
    prisma.activityEvent.createMany({
      data: { ...tokenActivity(c, "token.invalid", failure.reason, `${invalidAt.getTime()}`), data: { tokenId: c.token.id, code: failure.code, subcode: failure.subcode } },
      skipDuplicates: true,
    }),
  ]);
  const email = tokenInvalidEmail({ ...describe(c), reason: failure.reason, errorCode: failure.code });
  const dedupeKey = `token-invalid:${c.token.id}:${invalidAt.getTime()}`;
  return { error: 1, ...(await sendOwnerAlert({ workspaceId: c.workspaceId, connectionId: c.id, dedupeKey, email }, log)) };
}

/**
 * A send was refused with an auth error (190…): the token is marked invalid through the same path as
 * a health check's verdict. Nothing when it is already marked (the incident is recorded once).
 */
export async function markTokenInvalid(connectionId: string, failure: TokenFailure, log: Logger = logger): Promise<void> {
  const c = await loadConnection(connectionId);
  if (!c?.token || !c.token.isValid) return;
  // Claimed by a guarded flip: of the drainers that all saw the 190 at once, one records the incident.
  const invalidAt = new Date();
  const flipped = await prisma.accessToken.updateMany({ where: { id: c.token.id, isValid: true }, data: { isValid: false, invalidReason: failure.reason, invalidAt } });
  if (flipped.count === 0) return;
  await recordInvalid({ ...c, token: { ...c.token, isValid: false, invalidAt } }, failure, [], log);
}

async function recordInconclusive(c: WithToken, verdict: Extract<TokenVerdict, { state: "inconclusive" }>): Promise<SweepCounts> {
  const result = tokenCheckResult(verdict, false);
  // Status and token stay as they are: a throttled or failing Graph says nothing about the token.
  await prisma.$transaction([checkRow(c, verdict, result, {}), ...healthUpdate(c, result, verdict.error.message)]);
  return result === "UNKNOWN" ? { transient: 1 } : { warning: 1 };
}

/** Validates one connection's token against Graph and records what it found. */
export async function checkTokenHealth(connectionId: string, options: CheckTokenHealthOptions = {}): Promise<SweepCounts> {
  const log = options.log ?? logger;
  const c = await loadConnection(connectionId);
  if (!c?.token) return { skipped: 1 };
  const connection: WithToken = { ...c, token: c.token };
  const verdict = await validateToken({
    token: openToken(c.token, c.workspaceId),
    phoneNumberId: c.phoneNumberId,
    appToken: options.appToken === undefined ? appAccessToken() : options.appToken,
    rateLimited: options.rateLimited ?? graphRateLimit(env.HEALTH_CHECK_RATE_PER_SECOND),
    log,
  });
  if (verdict.state === "valid") return recordValid(connection, verdict, log);
  if (verdict.state === "invalid") return recordInvalid(connection, verdict, [checkRow(connection, verdict, "ERROR", { subcode: verdict.subcode })], log);
  return recordInconclusive(connection, verdict);
}
