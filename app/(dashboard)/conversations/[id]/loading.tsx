export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="flex h-[calc(100dvh-9.5rem)] min-h-[28rem] flex-col gap-3">
      <span className="sr-only">Loading the conversation…</span>
      <div className="h-10 w-56 animate-pulse rounded bg-slate-200" />
      <div className="flex-1 space-y-3 rounded-lg border border-slate-200 bg-[#efeae2] p-4">
        {[60, 40, 70, 35, 55].map((w, i) => (
          <div key={i} className={`flex ${i % 2 ? "justify-end" : "justify-start"}`}>
            <div className="h-10 animate-pulse rounded-lg bg-white/80" style={{ width: `${w}%` }} />
          </div>
        ))}
      </div>
    </div>
  );
}
