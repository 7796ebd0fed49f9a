"use client";

import { ErrorState } from "@/components/states/error-state";

// The overview failed to load (database unreachable, a bug): say so and offer a retry.
export default function OverviewError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState what="your numbers" error={error} retry={retry} />;
}
