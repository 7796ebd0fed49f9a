import type { Logger } from "pino";
import { sealToken } from "@/lib/crypto/token-vault";
import { prisma } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import type { ConnectionView, ConnectNumberInput } from "@/lib/connections/connection-schemas";
import { explainGraphFailure, type ConnectStep } from "@/lib/connections/explain-graph-failure";
import { getConnection } from "@/lib/connections/get-connection";
import { runConnectionChecks } from "@/lib/connections/run-connection-checks";
import { AppError } from "@/lib/http/app-error";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";
import { ROUTING_CACHE_TTL_MS } from "@/lib/webhooks/find-routing-connection";
import { getPhoneNumber, listPhoneNumbers, subscribeApp, type PhoneNumberInfo } from "@/lib/whatsapp/graph-client";
import { GraphError } from "@/lib/whatsapp/graph-error";

// Connecting a number: no other workspace may hold it (asked before the token goes anywhere); Meta must
// accept the token for this phone number, list the number in the given WABA, and subscribe WhaTrack to the
// WABA's webhooks, before anything is stored. Then the token is sealed (only ciphertext and its last four
// characters are kept) and the connection saved; a first health check fills in its state.
// A number removed earlier in this workspace comes back on its old row, with its history; one removed in
// another workspace is connected here on a row of its own.

async function askGraph<T>(at: ConnectStep, token: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof GraphError) throw explainGraphFailure(at, err, token);
    throw err;
  }
}

function numberFacts(info: PhoneNumberInfo, now: Date) {
  return {
    displayPhoneNumber: info.displayPhoneNumber,
    verifiedName: info.verifiedName,
    numberStatus: info.status,
    qualityRating: info.qualityRating,
    messagingLimit: info.messagingLimit,
    webhookSubscribed: true,
    subscriptionCheckAt: now,
  };
}

const ALREADY_HERE = "This number is already connected to this workspace";
const ELSEWHERE = "This number is already connected to another WhaTrack workspace: disconnect it there first";
const JUST_LEFT = "This number was disconnected from another WhaTrack workspace moments ago: try again in a minute";

/**
 * Refuses a number another workspace holds before this token is sent to Meta: it cannot be connected here
 * anyway. Also refuses, for the routing cache's TTL, a number another workspace has just removed: a process
 * that cached its old row would still route the number's deliveries there. (A yes/no question across
 * tenants, hence the unscoped client.)
 */
async function assertNumberFree(workspaceId: string, phoneNumberId: string): Promise<void> {
  const recentlyRemoved = new Date(Date.now() - ROUTING_CACHE_TTL_MS);
  const holders = await prisma.whatsAppConnection.findMany({
    where: { phoneNumberId, OR: [{ status: { not: "REMOVED" } }, { workspaceId: { not: workspaceId }, updatedAt: { gt: recentlyRemoved } }] },
    select: { workspaceId: true, status: true },
  });
  const live = holders.find((h) => h.status !== "REMOVED");
  if (live) throw new AppError("conflict", live.workspaceId === workspaceId ? ALREADY_HERE : ELSEWHERE);
  if (holders.length > 0) throw new AppError("conflict", JUST_LEFT);
}

/** Meta lists the number in the WABA the owner named: webhooks are subscribed per WABA, so with another WABA's id the number's messages would never arrive. */
async function assertNumberInWaba(input: ConnectNumberInput): Promise<void> {
  const token = input.accessToken;
  const numbers = await askGraph({ step: "waba", wabaId: input.wabaId }, token, () => listPhoneNumbers({ token, wabaId: input.wabaId }));
  if (numbers.some((n) => n.id === input.phoneNumberId)) return;
  throw new AppError(
    "unprocessable_entity",
    `Phone number ${input.phoneNumberId} is not in WhatsApp Business Account ${input.wabaId} (Meta lists ${numbers.length} number${numbers.length === 1 ? "" : "s"} there for this token). Check both ids in WhatsApp Manager. Nothing was saved.`,
  );
}

async function store(db: ScopedDb, workspaceId: string, input: ConnectNumberInput, info: PhoneNumberInfo, removedId: string | null): Promise<string> {
  const now = new Date();
  const sealed = sealToken(input.accessToken, workspaceId);
  const state = {
    wabaId: input.wabaId,
    ...numberFacts(info, now),
    status: "ACTIVE" as const,
    healthStatus: "UNKNOWN" as const,
    healthReason: null,
    // Claimed as just checked, so a sweep under way leaves it to the first check below.
    lastHealthCheckAt: now,
    lastMonitoredAt: now,
  };
  return db.$transaction(async (tx) => {
    const token = await tx.accessToken.create({ data: { ...sealed, workspaceId } });
    if (removedId) {
      // Guarded: only a row still REMOVED comes back (a concurrent connect of the same number gets a 409).
      const { count } = await tx.whatsAppConnection.updateMany({
        where: { id: removedId, status: "REMOVED" },
        data: { ...state, ...(input.name ? { name: input.name } : {}), tokenId: token.id, offlineSince: null, lastAlertedAt: null },
      });
      if (count === 0) throw new AppError("conflict", ALREADY_HERE);
      return removedId;
    }
    const connection = await tx.whatsAppConnection.create({
      data: { ...state, workspaceId, phoneNumberId: input.phoneNumberId, name: input.name ?? null, tokenId: token.id },
      select: { id: true },
    });
    return connection.id;
  });
}

export async function connectNumber(db: ScopedDb, workspaceId: string, input: ConnectNumberInput, log: Logger): Promise<ConnectionView> {
  await assertNumberFree(workspaceId, input.phoneNumberId);
  // This workspace's own earlier row for the number, if any: REMOVED, since no live row exists.
  const existing = await db.whatsAppConnection.findFirst({ where: { phoneNumberId: input.phoneNumberId }, select: { id: true } });

  const token = input.accessToken;
  const info = await askGraph({ step: "number", phoneNumberId: input.phoneNumberId }, token, () => getPhoneNumber({ token, phoneNumberId: input.phoneNumberId }));
  await assertNumberInWaba(input);
  await askGraph({ step: "subscribe", wabaId: input.wabaId }, token, () => subscribeApp({ token, wabaId: input.wabaId }));

  let id: string;
  try {
    id = await store(db, workspaceId, input, info, existing?.id ?? null);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // One live row per number across workspaces: a concurrent connect here, or in another workspace.
    const mine = await db.whatsAppConnection.count({ where: { phoneNumberId: input.phoneNumberId, status: { not: "REMOVED" } } });
    throw new AppError("conflict", mine > 0 ? ALREADY_HERE : ELSEWHERE);
  }
  log.info({ connectionId: id, phoneNumberId: input.phoneNumberId, wabaId: input.wabaId, revived: existing != null }, "number connected");

  await db.activityEvent.create({
    data: { workspaceId, connectionId: id, type: "connection.connected", summary: `${input.name ?? info.verifiedName ?? info.displayPhoneNumber ?? input.phoneNumberId}: connected` },
  });
  try {
    await runConnectionChecks(id, log);
  } catch (err) {
    // The number is connected; the scheduled checks will fill in its health.
    log.warn({ err, connectionId: id }, "first health check after connecting failed");
  }
  return getConnection(db, id);
}
