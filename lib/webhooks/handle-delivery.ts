import type { Logger } from "pino";
import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { applySystemMessage } from "@/lib/contacts/apply-system-message";
import { applyStatus } from "@/lib/messages/apply-status";
import { recordInboundMessage } from "@/lib/messages/record-inbound-message";
import { sendAutoReply } from "@/lib/messages/send-auto-reply";
import { findRoutingConnection, type RoutingConnection } from "@/lib/webhooks/find-routing-connection";
import { messagesValueSchema, type MessagesValue, type WebhookEnvelope } from "@/lib/whatsapp/webhook-schema";

export type DeliveryCounts = {
  messages: number;
  duplicateMessages: number;
  statuses: number;
  pendingStatuses: number;
  autoReplies: number;
  otherChanges: number;
  unknownNumbers: string[];
};

export type DeliveryOutcome = { counts: DeliveryCounts; workspaceId: string | null; phoneNumberId: string | null; wabaId: string | null };

/** Processes every entry, change, message and status of one delivery (Meta batches them). */
export async function handleDelivery(eventId: string, envelope: WebhookEnvelope, log: Logger): Promise<DeliveryOutcome> {
  const counts: DeliveryCounts = { messages: 0, duplicateMessages: 0, statuses: 0, pendingStatuses: 0, autoReplies: 0, otherChanges: 0, unknownNumbers: [] };
  const outcome: DeliveryOutcome = { counts, workspaceId: null, phoneNumberId: null, wabaId: null };

  for (const entry of envelope.entry) {
    outcome.wabaId ??= entry.id;
    for (const change of entry.changes) {
      if (change.field !== "messages") {
        counts.otherChanges += await recordAccountChange(eventId, entry.id, change.field, change.value);
        continue;
      }
      // Already validated when the delivery was stored; parsed again here for its types.
      const value = messagesValueSchema.parse(change.value);
      const phoneNumberId = value.metadata.phone_number_id;
      outcome.phoneNumberId ??= phoneNumberId;
      const connection = await findRoutingConnection(phoneNumberId);
      if (!connection) {
        if (!counts.unknownNumbers.includes(phoneNumberId)) counts.unknownNumbers.push(phoneNumberId);
        continue;
      }
      outcome.workspaceId ??= connection.workspaceId;
      await handleMessagesChange(eventId, connection, value, counts, log);
    }
  }
  return outcome;
}

async function handleMessagesChange(
  eventId: string,
  connection: RoutingConnection,
  value: MessagesValue,
  counts: DeliveryCounts,
  log: Logger,
): Promise<void> {
  const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name]));

  for (const message of value.messages ?? []) {
    const ctx = { workspaceId: connection.workspaceId, connectionId: connection.id, profileName: names.get(message.from) ?? undefined };
    const recorded = await recordInboundMessage(ctx, message);
    if (recorded.isNew) counts.messages++;
    else counts.duplicateMessages++;
    if (message.type === "system") await applySystemMessage(connection.workspaceId, recorded.contactId, message);
    const reply = await sendAutoReply(connection, { ...recorded, wamid: message.id, type: message.type, from: message.from }, log);
    if (reply === "sent") counts.autoReplies++;
  }

  for (const status of value.statuses ?? []) {
    const result = await applyStatus(connection.phoneNumberId, status);
    counts.statuses++;
    if (result === "pending") counts.pendingStatuses++;
    if (status.status === "failed") {
      const error = status.errors?.[0];
      await prisma.activityEvent.createMany({
        data: {
          workspaceId: connection.workspaceId,
          connectionId: connection.id,
          type: "message.failed",
          summary: `Message to ${status.recipient_id ?? "a customer"} failed: ${error?.title ?? error?.message ?? "unknown error"}${error ? ` (${error.code})` : ""}`,
          data: { wamid: status.id, errorCode: error?.code ?? null },
          dedupeKey: `message.failed:${status.id}`,
        },
        skipDuplicates: true,
      });
    }
  }

  for (const [index, error] of (value.errors ?? []).entries()) {
    log.warn({ code: error.code, connectionId: connection.id }, "webhook carried an error");
    await prisma.activityEvent.createMany({
      data: {
        workspaceId: connection.workspaceId,
        connectionId: connection.id,
        type: "webhook.error",
        summary: `Meta reported error ${error.code}: ${error.title ?? error.message ?? ""}`.trim(),
        data: error as Prisma.InputJsonValue,
        dedupeKey: `webhook.error:${eventId}:${connection.id}:${index}`,
      },
      skipDuplicates: true,
    });
  }
}

/** account_update, phone_number_quality_update, template updates…: an activity event per workspace of the WABA. */
async function recordAccountChange(eventId: string, wabaId: string, field: string, value: unknown): Promise<number> {
  const connections = await prisma.whatsAppConnection.findMany({ where: { wabaId, status: { not: "REMOVED" } }, select: { id: true, workspaceId: true } });
  const data = (value ?? null) as Prisma.InputJsonValue;
  const event = (value && typeof value === "object" && "event" in value ? String((value as { event: unknown }).event) : null) ?? "update";
  if (connections.length === 0) return 0;
  await prisma.activityEvent.createMany({
    data: connections.map((c) => ({
      workspaceId: c.workspaceId,
      connectionId: c.id,
      type: `meta.${field}`,
      summary: `Meta: ${field.replaceAll("_", " ")} (${event})`,
      data,
      dedupeKey: `meta.${field}:${eventId}:${c.id}`,
    })),
    skipDuplicates: true,
  });
  return 1;
}
