"use client";

import { formatDuration } from "@/components/time/format-time";
import { useNow } from "@/components/time/use-now";

/**
 * The 24-hour customer-service window: open with the time left (free-form replies allowed), or
 * closed (only templates). Counts down on the client; `secondsLeft` is the server's figure for the
 * first render.
 */
export function WindowBadge({ expiresAt, secondsLeft }: { expiresAt: string | null; secondsLeft: number }) {
  const now = useNow(30_000);
  const left = now === null || !expiresAt ? secondsLeft : Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
  if (left <= 0) {
    return (
      <span className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600" title="Only template messages can be sent until the customer writes again">
        <span aria-hidden className="h-1.5 w-1.5 rounded-full bg-slate-400" />
        Window closed
      </span>
    );
  }
  const urgent = left < 2 * 3600;
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ${urgent ? "bg-amber-50 text-amber-800" : "bg-brand-50 text-brand-700"}`}
      title="Free-form replies are allowed until the 24-hour window closes"
    >
      <span aria-hidden className={`h-1.5 w-1.5 rounded-full ${urgent ? "bg-amber-500" : "bg-brand-500"}`} />
      Window open · {formatDuration(left)} left
    </span>
  );
}
