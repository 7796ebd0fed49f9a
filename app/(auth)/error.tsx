"use client";

import { ErrorState } from "@/components/states/error-state";

export default function AuthError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorState what="this page" error={error} retry={retry} />;
}
