import Link from "next/link";
import { getPageSession } from "@/lib/auth/get-page-session";
import type { HealthLevel } from "@/lib/connections/connection-schemas";
import { HEALTH_LEVEL_LABEL } from "@/lib/connections/health-level";
import { listConnections } from "@/lib/connections/list-connections";
import { ConnectionCard } from "@/components/connections/connection-card";
import { HealthBadge } from "@/components/connections/health-badge";

export const metadata = { title: "Overview" };

const SUMMARY_ORDER: HealthLevel[] = ["INVALID_TOKEN", "CRITICAL", "WARNING", "UNKNOWN", "HEALTHY"];

const connectLinkClass =
  "inline-flex items-center justify-center rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600";

// Overview: every connected number with its health, last check, token expiry, quality, webhook
// subscription and uptime.
export default async function OverviewPage() {
  const { db } = await getPageSession();
  const connections = await listConnections(db);
  const now = new Date();

  if (connections.length === 0) {
    return (
      <section aria-labelledby="empty-title" className="mx-auto max-w-xl rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
        <h1 id="empty-title" className="text-lg font-semibold">
          No WhatsApp numbers yet
        </h1>
        <p className="mt-2 text-sm text-slate-600">
          Connect a number from the WhatsApp Business Cloud API and WhaTrack checks its token, its webhooks and Meta&apos;s view of it around the clock, and tells
          you when something breaks.
        </p>
        <div className="mt-6">
          <Link href="/connections/new" className={connectLinkClass}>
            Connect a number
          </Link>
        </div>
      </section>
    );
  }

  const counts = new Map<HealthLevel, number>();
  for (const c of connections) counts.set(c.health.level, (counts.get(c.health.level) ?? 0) + 1);
  const summary = SUMMARY_ORDER.filter((level) => counts.has(level));

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Your numbers</h1>
          <p className="sr-only">
            {summary.map((level) => `${counts.get(level)} ${HEALTH_LEVEL_LABEL[level].toLowerCase()}`).join(", ")}
          </p>
          <ul aria-hidden="true" className="mt-2 flex flex-wrap gap-2">
            {summary.map((level) => (
              <li key={level} className="flex items-center gap-1 text-sm text-slate-600">
                <span className="font-semibold text-slate-900">{counts.get(level)}</span>
                <HealthBadge level={level} />
              </li>
            ))}
          </ul>
        </div>
        <Link href="/connections/new" className={connectLinkClass}>
          Connect a number
        </Link>
      </div>
      <ul className="space-y-4" aria-label="Connected numbers">
        {connections.map((c) => (
          <li key={c.id}>
            <ConnectionCard c={c} now={now} />
          </li>
        ))}
      </ul>
    </div>
  );
}
