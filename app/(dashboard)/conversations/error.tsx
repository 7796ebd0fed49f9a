"use client";

import { ErrorState } from "@/components/states/error-state";

export default function ConversationsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState what="conversations" error={error} retry={retry} />;
}
