"use client";

import { useState } from "react";

// Why a message did not go (Meta's code, title and details, as the outbox or a status webhook
// recorded them), and the button that sends it again.

export type FailureError = { code?: number | null; title?: string | null; details?: string | null; message?: string | null };

export function FailureReason({ error, heading = "Not delivered:" }: { error: FailureError; heading?: string }) {
  const hasCode = error.code !== null && error.code !== undefined;
  // Graph's messages start with "(#131026) …": the code is shown once, after the words.
  const title = (error.title ?? error.message ?? "Failed").replace(hasCode ? /^\(#\d+\)\s*/ : /^$/, "");
  return (
    <p className="mt-1 rounded bg-red-50 px-2 py-1 text-xs text-red-800" data-testid="failure-reason">
      <span className="font-semibold">{heading}</span> {title}
      {hasCode ? <span className="font-mono"> (#{error.code})</span> : null}
      {error.details && error.details !== error.title ? <span className="block text-red-700">{error.details}</span> : null}
    </p>
  );
}

/** Retry: answers an error sentence to show, or null when the message is queued again. */
export function RetryButton({ retry, label = "Retry" }: { retry: () => Promise<string | null>; label?: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function onClick() {
    setBusy(true);
    setError(null);
    const failure = await retry();
    setBusy(false);
    setError(failure);
  }
  return (
    <span className="mt-1 flex flex-wrap items-center justify-end gap-2">
      {error ? (
        <span role="alert" className="text-xs text-red-700">
          {error}
        </span>
      ) : null}
      <button
        type="button"
        onClick={onClick}
        disabled={busy}
        className="rounded-md bg-white px-2.5 py-1 text-xs font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-60"
      >
        {busy ? "Retrying…" : label}
      </button>
    </span>
  );
}
