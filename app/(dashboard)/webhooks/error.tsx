"use client";

import { ErrorState } from "@/components/states/error-state";

export default function WebhooksError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState what="failed webhooks" error={error} retry={retry} />;
}
