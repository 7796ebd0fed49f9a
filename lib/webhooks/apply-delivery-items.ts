import pLimit from "p-limit";
import type { Logger } from "pino";
import { prisma } from "@/lib/db/client";
import { recordActivities, type ActivityInput } from "@/lib/activity/record-activities";
import { applySystemMessage } from "@/lib/contacts/apply-system-message";
import { applyStatuses, isKnownStatus } from "@/lib/messages/apply-statuses";
import { recordInboundMessages } from "@/lib/messages/record-inbound-messages";
import { claimAutoReplies, sendAutoReply, wantsAutoReply } from "@/lib/messages/send-auto-reply";
import { applyTemplateUpdates } from "@/lib/templates/apply-template-updates";
import type { DeliveryItem } from "@/lib/webhooks/parse-delivery";
import { findRoutingConnection, type RoutingConnection } from "@/lib/webhooks/find-routing-connection";

export type DeliveryCounts = {
  messages: number;
  duplicateMessages: number;
  statuses: number;
  pendingStatuses: number;
  autoReplies: number;
  otherChanges: number;
  unknownNumbers: string[];
};

export const emptyCounts = (): DeliveryCounts => ({ messages: 0, duplicateMessages: 0, statuses: 0, pendingStatuses: 0, autoReplies: 0, otherChanges: 0, unknownNumbers: [] });

/** What processing learns about one delivery as its items are applied. */
export type DeliveryState = { id: string; counts: DeliveryCounts; workspaceId: string | null; phoneNumberId: string | null };

export type WorkItem = { delivery: DeliveryState; item: DeliveryItem; index: number };

// Auto-replies wait on Graph: a few at a time, so one slow reply does not hold the others.
const REPLY_CONCURRENCY = 8;

/**
 * Applies items of one or more deliveries with a few multi-row statements — messages (contacts,
 * conversations, activity), statuses, activity for failures, errors, template status and quality
 * updates and account changes — then sends
 * the auto-replies they call for. Every statement is idempotent, so applying the same items again
 * (a retry, a re-delivery, a concurrent copy) changes nothing and sends no second reply.
 */
export async function applyDeliveryItems(work: WorkItem[], log: Logger): Promise<void> {
  const routes = await routeNumbers(work);
  const activities: ActivityInput[] = [];
  const messages: (WorkItem & { connection: RoutingConnection; item: Extract<DeliveryItem, { kind: "message" }> })[] = [];
  const statuses: (WorkItem & { connection: RoutingConnection; item: Extract<DeliveryItem, { kind: "status" }> })[] = [];
  const changes: (WorkItem & { item: Extract<DeliveryItem, { kind: "change" }> })[] = [];

  for (const w of work) {
    const { item, delivery } = w;
    if (item.kind === "change") {
      changes.push({ ...w, item });
      continue;
    }
    const connection = routes.get(item.phoneNumberId);
    if (!connection) {
      if (!delivery.counts.unknownNumbers.includes(item.phoneNumberId)) delivery.counts.unknownNumbers.push(item.phoneNumberId);
      continue;
    }
    delivery.workspaceId ??= connection.workspaceId;
    delivery.phoneNumberId ??= connection.phoneNumberId;
    if (item.kind === "message") messages.push({ ...w, connection, item });
    else if (item.kind === "status") statuses.push({ ...w, connection, item });
    else {
      log.warn({ code: item.error.code, connectionId: connection.id }, "webhook carried an error");
      activities.push({
        workspaceId: connection.workspaceId,
        connectionId: connection.id,
        type: "webhook.error",
        summary: `Meta reported error ${item.error.code}: ${item.error.title ?? item.error.message ?? ""}`.trim(),
        data: item.error,
        dedupeKey: `webhook.error:${delivery.id}:${w.index}`,
      });
    }
  }

  const recorded = await recordInboundMessages(
    messages.map((m) => ({ workspaceId: m.connection.workspaceId, connectionId: m.connection.id, message: m.item.message, profileName: m.item.profileName })),
  );
  const counted = new Set<string>();
  for (const m of messages) {
    const wamid = m.item.message.id;
    const isNew = recorded.get(wamid)?.isNew === true && !counted.has(wamid);
    counted.add(wamid);
    if (isNew) m.delivery.counts.messages++;
    else m.delivery.counts.duplicateMessages++;
    const contactId = recorded.get(wamid)?.contactId;
    if (m.item.message.type === "system" && contactId) await applySystemMessage(m.connection.workspaceId, contactId, m.item.message);
  }

  const applied = await applyStatuses(statuses.map((s) => ({ connectionId: s.connection.id, phoneNumberId: s.connection.phoneNumberId, status: s.item.status })));
  for (const s of statuses) {
    const { status } = s.item;
    s.delivery.counts.statuses++;
    if (isKnownStatus(status) && !applied.has(status.id)) s.delivery.counts.pendingStatuses++;
    if (status.status !== "failed") continue;
    const error = status.errors?.[0];
    activities.push({
      workspaceId: s.connection.workspaceId,
      connectionId: s.connection.id,
      type: "message.failed",
      summary: `Message to ${status.recipient_id ?? "a customer"} failed: ${error?.title ?? error?.message ?? "unknown error"}${error ? ` (${error.code})` : ""}`,
      data: { wamid: status.id, errorCode: error?.code ?? null },
      dedupeKey: `message.failed:${status.id}`,
    });
  }

  await applyTemplateUpdates(changes.flatMap(({ item }) => (item.template ? [{ wabaId: item.wabaId, update: item.template }] : [])));
  activities.push(...(await describeAccountChanges(changes)));
  await recordActivities(activities);
  await sendAutoReplies(messages, recorded, log);
}

/** The connection of every number named in the items (cached briefly per process); null = not ours. */
async function routeNumbers(work: WorkItem[]): Promise<Map<string, RoutingConnection | null>> {
  const numbers = new Set(work.flatMap((w) => (w.item.kind === "change" ? [] : [w.item.phoneNumberId])));
  const found = await Promise.all([...numbers].map(async (n) => [n, await findRoutingConnection(n)] as const));
  return new Map(found);
}

/** account_update, phone_number_quality_update, template updates…: an activity event per workspace of the WABA. */
async function describeAccountChanges(changes: (WorkItem & { item: Extract<DeliveryItem, { kind: "change" }> })[]): Promise<ActivityInput[]> {
  if (changes.length === 0) return [];
  const wabaIds = [...new Set(changes.map((c) => c.item.wabaId))];
  const connections = await prisma.whatsAppConnection.findMany({ where: { wabaId: { in: wabaIds }, status: { not: "REMOVED" } }, select: { id: true, workspaceId: true, wabaId: true } });
  return changes.flatMap(({ delivery, item, index }) => {
    const mine = connections.filter((c) => c.wabaId === item.wabaId);
    if (mine.length === 0) return [];
    delivery.counts.otherChanges++;
    delivery.workspaceId ??= mine[0]!.workspaceId;
    const value = item.value;
    const event = value && typeof value === "object" && "event" in value ? String((value as { event: unknown }).event) : "update";
    return mine.map((c) => ({
      workspaceId: c.workspaceId,
      connectionId: c.id,
      type: `meta.${item.field}`,
      summary: `Meta: ${item.field.replaceAll("_", " ")} (${event})`,
      data: value ?? null,
      dedupeKey: `meta.${item.field}:${delivery.id}:${index}:${c.id}`,
    }));
  });
}

async function sendAutoReplies(
  messages: (WorkItem & { connection: RoutingConnection; item: Extract<DeliveryItem, { kind: "message" }> })[],
  recorded: Awaited<ReturnType<typeof recordInboundMessages>>,
  log: Logger,
): Promise<void> {
  const wanted = new Map<string, (typeof messages)[number]>();
  for (const m of messages) {
    const at = recorded.get(m.item.message.id)?.timestamp;
    if (at && !wanted.has(m.item.message.id) && wantsAutoReply(m.connection, m.item.message.type, at)) wanted.set(m.item.message.id, m);
  }
  if (wanted.size === 0) return;
  const claimed = await claimAutoReplies([...wanted.keys()]);
  const limit = pLimit(REPLY_CONCURRENCY);
  await Promise.all(
    claimed.map((reply) =>
      limit(async () => {
        const m = wanted.get(reply.wamid)!;
        if ((await sendAutoReply(m.connection, reply, log)) === "sent") m.delivery.counts.autoReplies++;
      }),
    ),
  );
}
