"use client";

import { ErrorState } from "@/components/states/error-state";

// The number's page failed to load (not a 404: that is not-found.tsx).
export default function ConnectionError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState what="this number's health" error={error} retry={retry} />;
}
