import { z } from "zod";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

// The conversation page's view of its outbox: sends that have no message in the thread yet (queued,
// sending, or refused before WhatsApp took them) are shown as bubbles of their own, and the sends that
// did reach WhatsApp are linked to their message by wamid, so a failed one can be retried from its bubble.

export type ConversationSend = {
  id: string;
  status: "QUEUED" | "SENDING" | "SENT" | "FAILED" | "DEAD";
  text: string;
  createdAt: string;
  wamid: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  error: { code: number | null; title: string | null; details: string | null } | null;
};

export type ConversationSends = { pending: ConversationSend[]; byWamid: Record<string, string> };

const RECENT = 100;

// The outbox keeps Graph's own objects: { body } for text, { name, language, components } for a template.
const textBody = z.object({ body: z.string() });
const templateBody = z.object({ name: z.string() });

export function describeSendBody(type: string, body: unknown): string {
  if (type === "text") {
    const text = textBody.safeParse(body);
    if (text.success) return text.data.body;
  }
  if (type === "template") {
    const template = templateBody.safeParse(body);
    if (template.success) return `[template: ${template.data.name}]`;
  }
  return `[${type}]`;
}

/** The latest sends of one conversation (already known to be the workspace's), split as described above. */
export async function listConversationSends(db: ScopedDb, conversationId: string): Promise<ConversationSends> {
  const rows = await db.outboundMessage.findMany({
    where: { conversationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: RECENT,
    select: {
      id: true,
      state: true,
      type: true,
      body: true,
      wamid: true,
      messageId: true,
      attempts: true,
      nextAttemptAt: true,
      createdAt: true,
      errorCode: true,
      errorTitle: true,
      errorDetails: true,
      lastError: true,
    },
  });
  const pending: ConversationSend[] = [];
  const byWamid: Record<string, string> = {};
  for (const row of rows.toReversed()) {
    if (row.wamid) byWamid[row.wamid] = row.id;
    if (row.messageId) continue;
    const hasError = row.errorCode !== null || row.errorTitle !== null || row.errorDetails !== null;
    pending.push({
      id: row.id,
      status: row.state,
      text: describeSendBody(row.type, row.body),
      createdAt: row.createdAt.toISOString(),
      wamid: row.wamid,
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
      error: hasError ? { code: row.errorCode, title: row.errorTitle, details: row.errorDetails } : row.lastError ? { code: null, title: row.lastError, details: null } : null,
    });
  }
  return { pending, byWamid };
}
