import type { Logger } from "pino";
import { prisma } from "@/lib/db/client";
import { openToken } from "@/lib/crypto/token-vault";
import { foldStatusEvents } from "@/lib/messages/apply-status";
import { WINDOW_MS } from "@/lib/messages/record-inbound-message";
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

type Inbound = { id: string; wamid: string; type: string; from: string; timestamp: Date; conversationId: string; contactId: string };

/**
 * Answers a message of an unsupported type — at most once per inbound message, even when Meta
 * re-delivers it concurrently: the reply is claimed by a guarded update before anything is sent.
 * Best effort: a failure is logged and recorded on the message, never thrown.
 */
export async function sendAutoReply(connection: AutoReplyConnection, inbound: Inbound, log: Logger): Promise<"sent" | "skipped" | "failed"> {
  if (!connection.autoReplyEnabled || !connection.autoReplyTypes.includes(inbound.type)) return "skipped";
  // Outside the 24-hour window Meta refuses free-form text (131047): e.g. an old event replayed.
  if (Date.now() - inbound.timestamp.getTime() > WINDOW_MS) return "skipped";

  const claim = await prisma.message.updateMany({ where: { id: inbound.id, autoReplyState: null }, data: { autoReplyState: "CLAIMED" } });
  if (claim.count === 0) return "skipped";

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
