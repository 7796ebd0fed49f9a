import type { Logger } from "pino";
import { sealToken } from "@/lib/crypto/token-vault";
import { isUniqueViolation } from "@/lib/db/errors";
import type { ConnectionView, ConnectNumberInput } from "@/lib/connections/connection-schemas";
import { explainGraphFailure, type ConnectStep } from "@/lib/connections/explain-graph-failure";
import { getConnection } from "@/lib/connections/get-connection";
import { runConnectionChecks } from "@/lib/connections/run-connection-checks";
import { AppError } from "@/lib/http/app-error";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";
import { getPhoneNumber, subscribeApp, type PhoneNumberInfo } from "@/lib/whatsapp/graph-client";
import { GraphError } from "@/lib/whatsapp/graph-error";

// Connecting a number: Meta must accept the token for this phone number, and WhaTrack must be subscribed
// to the WABA's webhooks, before anything is stored. Then the token is sealed (only ciphertext and its
// last four characters are kept) and the connection saved; a first health check fills in its state.
// A number removed earlier in this workspace comes back on its old row, with its history.

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
  const existing = await db.whatsAppConnection.findUnique({ where: { phoneNumberId: input.phoneNumberId }, select: { id: true, status: true } });
  if (existing && existing.status !== "REMOVED") throw new AppError("conflict", ALREADY_HERE);

  const token = input.accessToken;
  const info = await askGraph({ step: "number", phoneNumberId: input.phoneNumberId }, token, () => getPhoneNumber({ token, phoneNumberId: input.phoneNumberId }));
  await askGraph({ step: "subscribe", wabaId: input.wabaId }, token, () => subscribeApp({ token, wabaId: input.wabaId }));

  let id: string;
  try {
    id = await store(db, workspaceId, input, info, existing?.id ?? null);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    // phoneNumberId is unique across workspaces: a concurrent connect here, or a row we cannot see.
    const mine = await db.whatsAppConnection.count({ where: { phoneNumberId: input.phoneNumberId } });
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
