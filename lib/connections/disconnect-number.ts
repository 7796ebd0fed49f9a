import type { Logger } from "pino";
import { openToken } from "@/lib/crypto/token-vault";
import { prisma } from "@/lib/db/client";
import type { DisconnectResult } from "@/lib/connections/connection-schemas";
import { describeConnection } from "@/lib/connections/describe-connection";
import { getConnectionOrThrow, type ConnectionRow } from "@/lib/connections/get-connection-or-throw";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";
import { forgetRoutingConnection } from "@/lib/webhooks/find-routing-connection";
import { unsubscribeApp } from "@/lib/whatsapp/graph-client";
import { GraphError } from "@/lib/whatsapp/graph-error";

// Disconnecting a number: WhaTrack unsubscribes from the WABA's webhooks (best effort: Meta refusing, or
// an already invalid token, is reported but does not keep the owner from removing the number), the
// token row is deleted, and the connection is kept as REMOVED with its history.

type WebhookOutcome = DisconnectResult["webhook"];

async function unsubscribe(c: ConnectionRow, log: Logger): Promise<WebhookOutcome> {
  if (!c.token) return { outcome: "skipped", message: "No access token was stored, so the webhook subscription could not be removed" };
  // One subscription serves every number of a WABA, whichever workspace connected them: keep it while
  // another connected number relies on it. (A yes/no question across tenants, hence the unscoped client.)
  const sharing = await prisma.whatsAppConnection.count({ where: { wabaId: c.wabaId, id: { not: c.id }, status: { not: "REMOVED" } } });
  if (sharing > 0) return { outcome: "skipped", message: "Kept the webhook subscription: another connected number uses the same WhatsApp Business Account" };
  try {
    await unsubscribeApp({ token: openToken(c.token, c.workspaceId), wabaId: c.wabaId });
    return { outcome: "unsubscribed", message: null };
  } catch (err) {
    log.warn({ err, connectionId: c.id, wabaId: c.wabaId }, "unsubscribing from the WABA's webhooks failed");
    const why =
      err instanceof GraphError
        ? `Meta refused: ${(err.title ?? err.message).replace(/[\s.]+$/, "")}${err.code != null ? ` (Graph error ${err.code})` : ""}`
        : "the stored access token could not be read";
    return {
      outcome: "failed",
      message: `The number is disconnected, but WhaTrack could not unsubscribe from its webhooks (${why}). If you no longer use this WhatsApp Business Account with WhaTrack, remove the app in WhatsApp Manager.`,
    };
  }
}

export async function disconnectNumber(db: ScopedDb, id: string, log: Logger): Promise<DisconnectResult> {
  const c = await getConnectionOrThrow(db, id);
  if (c.status === "REMOVED") return { connection: await describeConnection(c), webhook: { outcome: "skipped", message: "The number was already disconnected" } };

  const webhook = await unsubscribe(c, log);
  const now = new Date();
  const name = c.name ?? c.verifiedName ?? c.displayPhoneNumber ?? c.phoneNumberId;
  await db.$transaction([
    db.whatsAppConnection.update({
      where: { id },
      data: {
        status: "REMOVED",
        tokenId: null,
        healthStatus: "UNKNOWN",
        healthReason: null,
        offlineSince: null,
        ...(webhook.outcome === "unsubscribed" ? { webhookSubscribed: false, subscriptionCheckAt: now } : {}),
      },
    }),
    // The token itself is erased, not just unlinked.
    db.accessToken.deleteMany({ where: { id: c.tokenId ?? "" } }),
    db.activityEvent.create({
      data: {
        workspaceId: c.workspaceId,
        connectionId: id,
        type: "connection.removed",
        summary: `${name}: disconnected${webhook.outcome === "unsubscribed" ? " and unsubscribed from webhooks" : ""}`,
        data: { webhook: webhook.outcome },
      },
    }),
  ]);
  forgetRoutingConnection(c.phoneNumberId);
  log.info({ connectionId: id, webhook: webhook.outcome }, "number disconnected");
  return { connection: await describeConnection(await getConnectionOrThrow(db, id), now), webhook };
}
