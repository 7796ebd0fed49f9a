"use client";

import { ErrorState } from "@/components/states/error-state";

export default function ActivityError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState what="the activity feed" error={error} retry={retry} />;
}
