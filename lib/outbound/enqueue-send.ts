import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/http/app-error";
import type { WorkspaceCaller } from "@/lib/http/with-workspace-caller";
import type { SendMessageBody } from "@/lib/outbound/outbound-schemas";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";
import { findApprovedTemplate } from "@/lib/templates/find-approved-template";

export type Queued = { id: string; status: "QUEUED" };

/**
 * Queues one send: a row committed before the caller hears 202, drained right after. Free-form
 * messages need the contact's 24-hour window open (else 422 window_closed, nothing stored);
 * templates need an APPROVED template, and start a conversation with a new number. With an
 * Idempotency-Key the unique (workspace, key) makes one row whatever the number of identical
 * requests, concurrent or not: the insert does nothing on conflict and the existing row is answered.
 */
export async function enqueueSend(db: ScopedDb, caller: WorkspaceCaller, input: SendMessageBody, idempotencyKey: string | null): Promise<Queued> {
  if (idempotencyKey) {
    // A retry of a request that already made its row gets the same answer, whatever happened since
    // (the window may have closed meanwhile). The insert below is what makes it one row.
    const existing = await findByKey(db, idempotencyKey, input);
    if (existing) return existing;
  }
  const connection = await db.whatsAppConnection.findFirst({ where: { id: input.connectionId }, select: { id: true, status: true } });
  if (!connection) throw new AppError("not_found", "Connection not found");
  if (connection.status !== "ACTIVE") {
    throw new AppError("unprocessable_entity", `This number cannot send now (its status is ${connection.status}): fix its token or reconnect it first`);
  }

  const { type, body } = await graphObject(caller.workspaceId, input);
  const party = type === "template" ? await openConversation(caller.workspaceId, connection.id, input.to) : await openWindow(db, connection.id, input.to);

  const data: Prisma.OutboundMessageCreateManyInput = {
    workspaceId: caller.workspaceId,
    connectionId: connection.id,
    contactId: party.contactId,
    conversationId: party.conversationId,
    to: input.to,
    type,
    body,
    replyToWamid: input.context?.message_id ?? null,
    idempotencyKey,
    userId: caller.userId,
    apiKeyId: caller.apiKeyId,
  };
  // ON CONFLICT DO NOTHING: a concurrent request with the same key inserts nothing and reads the winner's row.
  const [created] = await db.outboundMessage.createManyAndReturn({ data: [data], skipDuplicates: true, select: { id: true } });
  if (created) return { id: created.id, status: "QUEUED" };
  const winner = idempotencyKey ? await findByKey(db, idempotencyKey, input) : null;
  if (!winner) throw new Error("outbound message insert conflicted without an idempotency key");
  return winner;
}

async function findByKey(db: ScopedDb, idempotencyKey: string, input: SendMessageBody): Promise<Queued | null> {
  const row = await db.outboundMessage.findFirst({ where: { idempotencyKey }, select: { id: true, connectionId: true, to: true, type: true } });
  if (!row) return null;
  if (row.connectionId !== input.connectionId || row.to !== input.to || row.type !== input.type) {
    throw new AppError("conflict", "This Idempotency-Key was already used for a different message");
  }
  return { id: row.id, status: "QUEUED" };
}

/** The `type` and its object as Graph takes them. */
async function graphObject(workspaceId: string, input: SendMessageBody): Promise<{ type: string; body: Prisma.InputJsonValue }> {
  switch (input.type) {
    case "text":
      return { type: "text", body: { body: input.text.body, preview_url: input.text.preview_url ?? false } };
    case "template": {
      const code = typeof input.template.language === "string" ? input.template.language : input.template.language.code;
      const template = await findApprovedTemplate(workspaceId, input.connectionId, input.template.name, code);
      return {
        type: "template",
        body: { name: template.name, language: { code: template.language, policy: "deterministic" }, ...(input.template.components ? { components: input.template.components as Prisma.InputJsonValue[] } : {}) },
      };
    }
    case "image":
      return { type: "image", body: input.image };
    case "video":
      return { type: "video", body: input.video };
    case "audio":
      return { type: "audio", body: input.audio };
    case "document":
      return { type: "document", body: input.document };
  }
}

type Party = { contactId: string; conversationId: string };

/** Free-form: the contact's conversation on this number, with its 24-hour window open now. */
async function openWindow(db: ScopedDb, connectionId: string, to: string): Promise<Party> {
  const conversation = await db.conversation.findFirst({ where: { connectionId, contact: { waId: to } }, select: { id: true, contactId: true, windowExpiresAt: true } });
  if (!conversation?.windowExpiresAt || conversation.windowExpiresAt.getTime() <= Date.now()) {
    const why = conversation?.windowExpiresAt ? `closed at ${conversation.windowExpiresAt.toISOString()}` : "was never opened (the contact has not written to this number)";
    throw new AppError("window_closed", `The 24-hour customer-service window ${why}: only a template can be sent`);
  }
  return { contactId: conversation.contactId, conversationId: conversation.id };
}

/** Template: the contact and conversation, created if this is a new number (as the inbox creates them). */
async function openConversation(workspaceId: string, connectionId: string, to: string): Promise<Party> {
  // Insert-if-missing then read, each its own statement: a concurrent insert of the same contact is
  // visible to the read once it committed (a single statement's snapshot could miss it).
  await prisma.contact.createMany({ data: [{ workspaceId, waId: to }], skipDuplicates: true });
  const contact = await prisma.contact.findUniqueOrThrow({ where: { workspaceId_waId: { workspaceId, waId: to } }, select: { id: true } });
  await prisma.conversation.createMany({ data: [{ workspaceId, connectionId, contactId: contact.id }], skipDuplicates: true });
  const conversation = await prisma.conversation.findUniqueOrThrow({ where: { connectionId_contactId: { connectionId, contactId: contact.id } }, select: { id: true } });
  return { contactId: contact.id, conversationId: conversation.id };
}
