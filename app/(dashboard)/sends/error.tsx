"use client";

import { ErrorState } from "@/components/states/error-state";

export default function FailedSendsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState what="failed sends" error={error} retry={retry} />;
}
