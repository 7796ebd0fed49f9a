import { cache } from "react";
import { notFound } from "next/navigation";
import { getPageSession } from "@/lib/auth/get-page-session";
import { getConversationOrThrow } from "@/lib/conversations/get-conversation-or-throw";
import { AppError } from "@/lib/http/app-error";

/** The signed-in workspace's conversation, once per request (layout and page share it); else the 404 page. */
export const loadConversation = cache(async (id: string) => {
  const { db } = await getPageSession();
  try {
    return { db, conversation: await getConversationOrThrow(db, id) };
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
});
