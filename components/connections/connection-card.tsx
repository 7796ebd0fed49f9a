import Link from "next/link";
import type { ConnectionView } from "@/lib/connections/connection-schemas";
import { humanizeReason } from "@/lib/connections/format-health";
import { ConnectionFacts } from "@/components/connections/connection-facts";
import { HealthBadge } from "@/components/connections/health-badge";

export function connectionTitle(c: ConnectionView): string {
  return c.name ?? c.verifiedName ?? c.displayPhoneNumber ?? `Number ${c.phoneNumberId}`;
}

const ACCENT: Record<ConnectionView["health"]["level"], string> = {
  HEALTHY: "border-l-emerald-500",
  WARNING: "border-l-amber-500",
  CRITICAL: "border-l-red-500",
  INVALID_TOKEN: "border-l-rose-600",
  UNKNOWN: "border-l-slate-300",
  REMOVED: "border-l-slate-200",
};

/** One number on the overview: its health at a glance and a way into its details. */
export function ConnectionCard({ c, now }: { c: ConnectionView; now: Date }) {
  const titleId = `connection-${c.id}-title`;
  const showReason = c.health.reason && c.health.level !== "HEALTHY";
  return (
    <article aria-labelledby={titleId} className={`rounded-lg border border-l-4 border-slate-200 bg-white p-4 shadow-sm ${ACCENT[c.health.level]}`} data-testid="connection-card">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h2 id={titleId} className="truncate text-base font-semibold">
            <Link href={`/connections/${c.id}`} className="rounded hover:text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600">
              {connectionTitle(c)}
            </Link>
          </h2>
          <p className="text-sm text-slate-600">
            {c.displayPhoneNumber ?? "Number not reported yet"}
            {c.verifiedName && c.verifiedName !== connectionTitle(c) ? ` · ${c.verifiedName}` : ""}
          </p>
        </div>
        <HealthBadge level={c.health.level} />
      </div>
      {showReason && c.health.reason ? <p className="mt-2 text-sm text-slate-700">{humanizeReason(c.health.reason)}</p> : null}
      <div className="mt-4">
        <ConnectionFacts c={c} now={now} />
      </div>
      <div className="mt-4 flex justify-end">
        <Link
          href={`/connections/${c.id}`}
          className="rounded-md px-2 py-1 text-sm font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          Details and history<span className="sr-only"> for {connectionTitle(c)}</span> →
        </Link>
      </div>
    </article>
  );
}
