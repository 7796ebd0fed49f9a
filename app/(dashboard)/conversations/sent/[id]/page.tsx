import { notFound, redirect } from "next/navigation";
import { getPageSession } from "@/lib/auth/get-page-session";
import { findSendConversation } from "@/lib/conversations/find-send-conversation";
import { AppError } from "@/lib/http/app-error";

// /conversations/sent/{send id} → the send's conversation: where "Send template" to a new number
// and the failed-sends list lead (the messages API answers a send, not its conversation).
export default async function SentMessagePage({ params }: { params: Promise<{ id: string }> }) {
  const { db } = await getPageSession();
  let conversationId: string;
  try {
    conversationId = await findSendConversation(db, (await params).id);
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
  redirect(`/conversations/${conversationId}`);
}
