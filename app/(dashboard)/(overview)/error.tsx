"use client";

import { useEffect, useRef } from "react";

// The overview failed to load (database unreachable, a bug): say so and offer a retry.
export default function DashboardError({ error, retry }: { error: unknown; retry: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <div role="alert" className="mx-auto max-w-xl rounded-lg border border-red-200 bg-white px-6 py-8 text-center">
      <h1 ref={heading} tabIndex={-1} className="text-lg font-semibold text-red-800 focus:outline-none">
        This page could not be loaded
      </h1>
      <p className="mt-2 text-sm text-slate-600">Something went wrong on our side. Your numbers are still being checked in the background.</p>
      {digest ? <p className="mt-2 font-mono text-xs text-slate-500">Reference: {digest}</p> : null}
      <button
        type="button"
        onClick={() => retry()}
        className="mt-5 rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
      >
        Try again
      </button>
    </div>
  );
}
