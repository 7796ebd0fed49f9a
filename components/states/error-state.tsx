"use client";

import { useEffect } from "react";

/** The body of a segment's error.tsx: what failed, and a retry that re-fetches the segment. */
export function ErrorState({ what, error, retry }: { what: string; error: unknown; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-6 py-8 text-center">
      <p className="font-medium text-red-900">Could not load {what}.</p>
      <p className="mt-1 text-sm text-red-800">This is usually temporary (the database or network). Try again in a moment.</p>
      {digest ? <p className="mt-1 font-mono text-xs text-red-700">Reference: {digest}</p> : null}
      <button
        type="button"
        onClick={() => retry()}
        className="mt-4 rounded-md bg-white px-3 py-1.5 text-sm font-medium text-red-900 ring-1 ring-red-300 hover:bg-red-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600"
      >
        Try again
      </button>
    </div>
  );
}
