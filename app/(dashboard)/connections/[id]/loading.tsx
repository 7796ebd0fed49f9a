// Shown while a number's page loads its health history.
export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-5">
      <span className="sr-only">Loading the number&apos;s health…</span>
      <div className="h-4 w-24 animate-pulse rounded bg-slate-200" />
      <div className="h-7 w-64 animate-pulse rounded bg-slate-200" />
      <div className="h-28 animate-pulse rounded-lg border border-slate-200 bg-white" />
      <div className="h-80 animate-pulse rounded-lg border border-slate-200 bg-white" />
      <div className="h-48 animate-pulse rounded-lg border border-slate-200 bg-white" />
    </div>
  );
}
