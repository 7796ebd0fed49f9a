"use client";

import Link from "next/link";
import { useEffect, useRef } from "react";

// The number's page failed to load (not a 404: that is not-found.tsx).
export default function ConnectionError({ error, retry }: { error: unknown; retry: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const digest = error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : null;
  return (
    <div role="alert" className="mx-auto max-w-xl rounded-lg border border-red-200 bg-white px-6 py-8 text-center">
      <h1 ref={heading} tabIndex={-1} className="text-lg font-semibold text-red-800 focus:outline-none">
        This number&apos;s health could not be loaded
      </h1>
      <p className="mt-2 text-sm text-slate-600">Something went wrong on our side. The scheduled checks keep running.</p>
      {digest ? <p className="mt-2 font-mono text-xs text-slate-500">Reference: {digest}</p> : null}
      <div className="mt-5 flex justify-center gap-3">
        <button
          type="button"
          onClick={() => retry()}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
        >
          Try again
        </button>
        <Link href="/" className="rounded-md px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600">
          Back to overview
        </Link>
      </div>
    </div>
  );
}
