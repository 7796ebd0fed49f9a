import type { ReactNode } from "react";
import { loadConversation } from "@/app/(dashboard)/conversations/[id]/load-conversation";

// Looks the conversation up outside this segment's loading boundary, so another workspace's (or a
// made-up) id answers with a real 404 status before any streaming starts.
export default async function ConversationLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  await loadConversation((await params).id);
  return children;
}
