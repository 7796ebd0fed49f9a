// Shown while the overview loads its numbers.
export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <span className="sr-only">Loading…</span>
      <div className="h-7 w-48 animate-pulse rounded bg-slate-200" />
      {[0, 1].map((i) => (
        <div key={i} className="rounded-lg border border-slate-200 bg-white p-4">
          <div className="h-5 w-56 animate-pulse rounded bg-slate-200" />
          <div className="mt-2 h-4 w-36 animate-pulse rounded bg-slate-100" />
          <div className="mt-5 grid grid-cols-2 gap-4 sm:grid-cols-5">
            {[0, 1, 2, 3, 4].map((j) => (
              <div key={j} className="h-9 animate-pulse rounded bg-slate-100" />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}
