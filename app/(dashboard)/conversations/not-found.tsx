import Link from "next/link";
import { EmptyState } from "@/components/states/empty-state";

export default function ConversationNotFound() {
  return (
    <EmptyState
      title="Conversation not found"
      action={
        <Link href="/conversations" className="text-sm font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
          Back to conversations
        </Link>
      }
    >
      It may have been removed, or it belongs to another workspace.
    </EmptyState>
  );
}
