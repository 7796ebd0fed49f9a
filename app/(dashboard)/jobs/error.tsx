"use client";

import { ErrorState } from "@/components/states/error-state";

export default function JobsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState what="jobs" error={error} retry={retry} />;
}
