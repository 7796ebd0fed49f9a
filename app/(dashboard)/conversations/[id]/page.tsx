import Link from "next/link";
import { listMessagesQuery } from "@/lib/conversations/conversations-schemas";
import { listConversationSends } from "@/lib/conversations/list-conversation-sends";
import { listMessages } from "@/lib/conversations/list-messages";
import { loadConversation } from "@/app/(dashboard)/conversations/[id]/load-conversation";
import { MessageThread } from "@/app/(dashboard)/conversations/[id]/message-thread";

export const metadata = { title: "Conversation" };

export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { db, conversation } = await loadConversation(id);
  const [messages, sends] = await Promise.all([listMessages(db, id, listMessagesQuery.parse({})), listConversationSends(db, id)]);
  const name = conversation.contact.name ?? `+${conversation.contact.waId}`;
  const via = conversation.connection.name ?? conversation.connection.displayPhoneNumber;

  return (
    <div className="flex h-[calc(100dvh-9.5rem)] min-h-[28rem] flex-col gap-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <Link href="/conversations" className="rounded-md px-2 py-1 text-sm font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600">
          ← <span className="sr-only sm:not-sr-only">Conversations</span>
        </Link>
        <div className="min-w-0 flex-1">
          <h1 dir="auto" className="truncate text-lg font-semibold text-slate-900">{name}</h1>
          <p className="truncate text-xs text-slate-600">
            {conversation.contact.name ? `+${conversation.contact.waId} · ` : ""}
            {conversation.messageCount} received
            {via ? ` · to ${via}` : ""}
          </p>
        </div>
      </div>
      <MessageThread
        conversationId={conversation.id}
        initial={messages}
        window={conversation.window}
        connectionId={conversation.connection.id}
        to={conversation.contact.waId}
        sends={sends}
        customerWrote={conversation.lastInboundAt !== null}
      />
    </div>
  );
}
