import type { Logger } from "pino";
import { openToken } from "@/lib/crypto/token-vault";
import { prisma, queryRows } from "@/lib/db/client";
import { foldStatusEvents } from "@/lib/messages/fold-status-events";
import { WINDOW_MS } from "@/lib/messages/record-inbound-messages";
import { sendTextMessage } from "@/lib/whatsapp/graph-client";

export const DEFAULT_AUTO_REPLY_TEXT =
  "שלום! קיבלנו את ההודעה שלך, אך אנו תומכים כרגע רק בהודעות טקסט ותמונות.\nאנא שלח/י הודעת טקסט או תמונה ונשמח לעזור.";

export type AutoReplyConnection = {
  id: string;
  workspaceId: string;
  phoneNumberId: string;
  tokenId: string | null;
  autoReplyEnabled: boolean;
  autoReplyText: string | null;
  autoReplyTypes: string[];
};

export type ClaimedReply = { id: string; wamid: string; from: string; conversationId: string; contactId: string };

/** Whether a message of this type, sent at this time, gets the connection's auto-reply. */
export function wantsAutoReply(connection: AutoReplyConnection, type: string, timestamp: Date): boolean {
  if (!connection.autoReplyEnabled || !connection.autoReplyTypes.includes(type)) return false;
  // Outside the 24-hour window Meta refuses free-form text (131047): e.g. an old event replayed.
  return Date.now() - timestamp.getTime() <= WINDOW_MS;
}

/**
 * Claims the auto-replies of these inbound messages — at most once per message, even when Meta
 * re-delivers it concurrently: one guarded update, before anything is sent. Returns the claimed ones.
 */
export async function claimAutoReplies(wamids: string[]): Promise<ClaimedReply[]> {
  if (wamids.length === 0) return [];
  return queryRows<ClaimedReply>(
    `UPDATE "Message" SET "autoReplyState" = 'CLAIMED'
     WHERE wamid IN (SELECT json_array_elements_text($1::json)) AND direction = 'INBOUND' AND "autoReplyState" IS NULL
     RETURNING id, wamid, content->>'from' AS "from", "conversationId", "contactId"`,
    [JSON.stringify(wamids)],
  );
}

/**
 * Sends a claimed auto-reply, quoting the customer's message, and stores it as an outbound message.
 * Best effort: a failure is logged and recorded on the message, never thrown.
 */
export async function sendAutoReply(connection: AutoReplyConnection, inbound: ClaimedReply, log: Logger): Promise<"sent" | "failed"> {
  const body = connection.autoReplyText ?? DEFAULT_AUTO_REPLY_TEXT;
  try {
    const token = await loadToken(connection);
    const { wamid } = await sendTextMessage({ token, phoneNumberId: connection.phoneNumberId, to: inbound.from, body, replyToWamid: inbound.wamid });
    await prisma.$transaction([
      prisma.message.create({
        data: {
          workspaceId: connection.workspaceId,
          connectionId: connection.id,
          conversationId: inbound.conversationId,
          contactId: inbound.contactId,
          wamid,
          direction: "OUTBOUND",
          type: "text",
          text: body,
          content: { type: "text", text: { body }, context: { message_id: inbound.wamid }, autoReply: true },
          status: "PENDING",
          timestamp: new Date(),
          replyToId: inbound.id,
        },
      }),
      prisma.message.update({ where: { id: inbound.id }, data: { autoReplyState: "SENT", autoReplyWamid: wamid } }),
      // The reply is the conversation's latest message now (its counter counts the customer's messages).
      prisma.$executeRaw`UPDATE "Conversation" SET "lastMessageAt" = GREATEST("lastMessageAt", now()), "lastMessageText" = ${body}, "updatedAt" = now() WHERE id = ${inbound.conversationId}`,
    ]);
    await foldStatusEvents(wamid);
    return "sent";
  } catch (err) {
    log.warn({ err, messageId: inbound.id, connectionId: connection.id }, "auto-reply failed");
    await prisma.message.update({ where: { id: inbound.id }, data: { autoReplyState: "FAILED" } });
    return "failed";
  }
}

async function loadToken(connection: AutoReplyConnection): Promise<string> {
  if (!connection.tokenId) throw new Error("connection has no access token");
  const row = await prisma.accessToken.findUniqueOrThrow({ where: { id: connection.tokenId } });
  if (!row.isValid) throw new Error("access token is marked invalid");
  return openToken(row, connection.workspaceId);
}
