import { z } from "zod";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";

// The conversation page's view of its outbox: sends that have no message in the thread yet (queued,
// sending, or refused before WhatsApp took them, which a person can retry) are shown as bubbles of
// their own until the thread's message of their wamid takes over.

export type ConversationSend = {
  id: string;
  status: "QUEUED" | "SENDING" | "SENT" | "FAILED" | "DEAD";
  text: string;
  createdAt: string;
  wamid: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  /** Meta's code, title and details when Graph refused it; `message` is the last attempt's error otherwise. */
  error: { code: number | null; title: string | null; details: string | null; message: string | null } | null;
};

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

/** The latest sends of one conversation that have no message in it (yet), oldest first. */
export async function listConversationSends(db: ScopedDb, conversationId: string): Promise<ConversationSend[]> {
  const rows = await db.outboundMessage.findMany({
    where: { conversationId, messageId: null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: RECENT,
    select: {
      id: true,
      state: true,
      type: true,
      body: true,
      wamid: true,
      attempts: true,
      nextAttemptAt: true,
      createdAt: true,
      errorCode: true,
      errorTitle: true,
      errorDetails: true,
      lastError: true,
    },
  });
  return rows.toReversed().map((row) => {
    const hasError = row.errorCode !== null || row.errorTitle !== null || row.errorDetails !== null || row.lastError !== null;
    return {
      id: row.id,
      status: row.state,
      text: describeSendBody(row.type, row.body),
      createdAt: row.createdAt.toISOString(),
      wamid: row.wamid,
      attempts: row.attempts,
      nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null,
      error: hasError ? { code: row.errorCode, title: row.errorTitle, details: row.errorDetails, message: row.lastError } : null,
    };
  });
}
