import Link from "next/link";
import { notFound } from "next/navigation";
import { getPageSession } from "@/lib/auth/get-page-session";
import { AUTO_REPLY_TYPES, healthTimelineQuerySchema, type ConnectionView, type HealthCheckView, type HealthTimeline } from "@/lib/connections/connection-schemas";
import { formatAgo, formatPercent, formatUtc, humanizeReason, uptimeTone } from "@/lib/connections/format-health";
import { getConnection } from "@/lib/connections/get-connection";
import { getHealthTimeline } from "@/lib/connections/get-health-timeline";
import { AppError } from "@/lib/http/app-error";
import { DEFAULT_AUTO_REPLY_TEXT } from "@/lib/messages/send-auto-reply";
import { CheckNowButton } from "@/components/connections/check-now-button";
import { connectionTitle } from "@/components/connections/connection-card";
import { ConnectionFacts } from "@/components/connections/connection-facts";
import { ConnectionSettingsForm } from "@/components/connections/connection-settings-form";
import { DisconnectButton } from "@/components/connections/disconnect-button";
import { HealthBadge } from "@/components/connections/health-badge";
import { HealthTimelineChart } from "@/components/connections/health-timeline-chart";
import { Fact, ToneText } from "@/components/connections/tone";

export const metadata = { title: "Number health" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Another workspace's number (or no number at all) is a 404, never an error page. */
async function orNotFound<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    if (err instanceof AppError && err.code === "not_found") notFound();
    throw err;
  }
}

const REASON_STYLE: Record<ConnectionView["health"]["level"], string> = {
  HEALTHY: "border-emerald-200 bg-emerald-50 text-emerald-900",
  WARNING: "border-amber-200 bg-amber-50 text-amber-900",
  CRITICAL: "border-red-200 bg-red-50 text-red-900",
  INVALID_TOKEN: "border-rose-300 bg-rose-50 text-rose-900",
  UNKNOWN: "border-slate-200 bg-slate-50 text-slate-700",
  REMOVED: "border-slate-200 bg-slate-50 text-slate-700",
};

const CHECK_KIND: Record<string, string> = { token: "Token", number: "Number and webhooks", subscription: "Webhook re-subscribe" };
const CHECK_RESULT: Record<HealthCheckView["result"], { text: string; tone: "ok" | "warn" | "bad" | "muted" }> = {
  HEALTHY: { text: "OK", tone: "ok" },
  WARNING: { text: "Warning", tone: "warn" },
  CRITICAL: { text: "Critical", tone: "bad" },
  ERROR: { text: "Failed", tone: "bad" },
  UNKNOWN: { text: "No verdict", tone: "muted" },
};

const card = "rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-5";

function chartSummary(t: HealthTimeline): string {
  const sum = (k: "healthy" | "warning" | "critical" | "error" | "unknown") => t.buckets.reduce((n, b) => n + b[k], 0);
  const total = sum("healthy") + sum("warning") + sum("critical") + sum("error") + sum("unknown");
  return `Uptime ${formatPercent(t.uptime)} over the last ${t.days} days. ${total} checks: ${sum("healthy")} healthy, ${sum("warning")} warnings, ${sum("critical")} critical, ${sum("error")} token rejections, ${sum("unknown")} without an answer.`;
}

function HealthHistory({ c, t, now }: { c: ConnectionView; t: HealthTimeline; now: Date }) {
  const empty = t.buckets.every((b) => b.healthy + b.warning + b.critical + b.error + b.unknown === 0) && t.transitions.length === 0 && t.uptime == null;
  return (
    <section aria-labelledby="history-title" className={card}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h2 id="history-title" className="text-base font-semibold">
          Health history
        </h2>
        <nav aria-label="Period" className="inline-flex rounded-md border border-slate-200 p-0.5 text-sm">
          {([7, 30] as const).map((d) => (
            <Link
              key={d}
              href={`/connections/${c.id}?days=${d}`}
              scroll={false}
              aria-current={t.days === d ? "page" : undefined}
              className={`rounded px-3 py-1 focus-visible:outline-2 focus-visible:outline-brand-600 ${t.days === d ? "bg-brand-50 font-semibold text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
            >
              {d} days
            </Link>
          ))}
        </nav>
      </div>
      <p className="mt-1 text-sm text-slate-600">
        Uptime over the period:{" "}
        <ToneText tone={uptimeTone(t.uptime)}>
          <strong>{formatPercent(t.uptime)}</strong>
        </ToneText>
      </p>
      {empty ? (
        <p className="mt-4 rounded-md bg-slate-50 p-4 text-sm text-slate-600">No checks in the last {t.days} days yet. The scheduled checks will fill this in, or use “Check now”.</p>
      ) : (
        <div className="mt-4">
          <HealthTimelineChart buckets={t.buckets} days={t.days} summary={chartSummary(t)} />
        </div>
      )}
      {t.transitions.length > 0 ? (
        <div className="mt-4">
          <h3 className="text-sm font-semibold">Went offline and back</h3>
          <ol className="mt-2 space-y-1 text-sm">
            {[...t.transitions].reverse().map((tr) => (
              <li key={tr.at} className="flex flex-wrap gap-x-2">
                <ToneText tone={tr.online ? "ok" : "bad"}>{tr.online ? "Online" : "Offline"}</ToneText>
                <time dateTime={tr.at} className="text-slate-500" title={formatUtc(tr.at)}>
                  {formatAgo(tr.at, now)}
                </time>
                {tr.reason ? <span className="text-slate-700">— {humanizeReason(tr.reason)}</span> : null}
              </li>
            ))}
          </ol>
        </div>
      ) : null}
    </section>
  );
}

const VISIBLE_CHECKS = 10;

function CheckItem({ check, now }: { check: HealthCheckView; now: Date }) {
  const result = CHECK_RESULT[check.result];
  return (
    <li className="py-2 text-sm" data-testid="health-check">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <ToneText tone={result.tone}>
          <span className="font-medium">{result.text}</span>
        </ToneText>
        <span className="text-slate-700">{CHECK_KIND[check.kind] ?? check.kind}</span>
        <time dateTime={check.checkedAt} title={formatUtc(check.checkedAt)} className="text-slate-500">
          {formatAgo(check.checkedAt, now)}
        </time>
        {check.latencyMs != null ? <span className="text-slate-500">{check.latencyMs} ms</span> : null}
      </div>
      {check.reason && check.result !== "HEALTHY" ? (
        <p className="mt-0.5 break-words text-slate-700">
          {humanizeReason(check.reason)}
          {check.errorCode != null && !check.reason.includes(String(check.errorCode)) ? ` (Graph error ${check.errorCode})` : ""}
        </p>
      ) : null}
    </li>
  );
}

function RecentChecks({ checks, now }: { checks: HealthCheckView[]; now: Date }) {
  const problems = checks.filter((c) => c.result !== "HEALTHY").length;
  return (
    <section aria-labelledby="checks-title" className={card}>
      <h2 id="checks-title" className="text-base font-semibold">
        Recent checks
      </h2>
      {checks.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No checks yet.</p>
      ) : (
        <>
          <p className="mt-1 text-sm text-slate-600">
            The last {checks.length} checks: {problems === 0 ? "all fine." : `${problems} found a problem.`}
          </p>
          <ol className="mt-2 divide-y divide-slate-100">
            {checks.slice(0, VISIBLE_CHECKS).map((check) => (
              <CheckItem key={check.id} check={check} now={now} />
            ))}
          </ol>
          {checks.length > VISIBLE_CHECKS ? (
            <details className="group mt-1">
              <summary className="cursor-pointer rounded py-1 text-sm font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
                Show {checks.length - VISIBLE_CHECKS} older checks
              </summary>
              <ol className="divide-y divide-slate-100" start={VISIBLE_CHECKS + 1}>
                {checks.slice(VISIBLE_CHECKS).map((check) => (
                  <CheckItem key={check.id} check={check} now={now} />
                ))}
              </ol>
            </details>
          ) : null}
        </>
      )}
    </section>
  );
}

// One number: its health now, its history over 7 or 30 days, recent checks with their reasons,
// "check now", its settings, and disconnecting it.
export default async function ConnectionPage({ params, searchParams }: Props) {
  const [{ id }, sp, { db }] = await Promise.all([params, searchParams, getPageSession()]);
  const query = healthTimelineQuerySchema.safeParse({ days: typeof sp.days === "string" ? sp.days : undefined });
  const days = query.success ? query.data.days : 7;
  const [c, timeline] = await Promise.all([orNotFound(getConnection(db, id)), orNotFound(getHealthTimeline(db, id, days))]);
  const now = new Date();
  const title = connectionTitle(c);
  const removed = c.status === "REMOVED";

  return (
    <div className="space-y-5">
      <div>
        <Link href="/" className="rounded text-sm text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600">
          ← Overview
        </Link>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-3">
          <div className="min-w-0">
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="truncate text-xl font-semibold">{title}</h1>
              <HealthBadge level={c.health.level} size="lg" />
            </div>
            <p className="text-sm text-slate-600">
              {c.displayPhoneNumber ?? "Number not reported yet"}
              {c.verifiedName && c.verifiedName !== title ? ` · ${c.verifiedName}` : ""}
            </p>
          </div>
          {removed ? null : <CheckNowButton connectionId={c.id} />}
        </div>
      </div>

      {c.health.reason && c.health.level !== "HEALTHY" ? (
        <div className={`rounded-md border p-3 text-sm ${REASON_STYLE[c.health.level]}`}>
          {removed ? (
            <>
              This number was disconnected and its access token erased.{" "}
              <Link href={`/connections/new?wabaId=${c.wabaId}&phoneNumberId=${c.phoneNumberId}`} className="font-semibold underline">
                Connect it again
              </Link>
            </>
          ) : (
            <>
              <span className="font-semibold">Why: </span>
              {humanizeReason(c.health.reason)}
              {c.health.offlineSince ? <span> (offline since {formatUtc(c.health.offlineSince)})</span> : null}
            </>
          )}
        </div>
      ) : null}

      <section aria-label="Current state" className={card}>
        <ConnectionFacts c={c} now={now} />
        <dl className="mt-4 grid grid-cols-2 gap-x-4 gap-y-3 border-t border-slate-100 pt-4 sm:grid-cols-3 lg:grid-cols-5">
          <Fact label="Number status">{c.numberStatus ?? "—"}</Fact>
          <Fact label="Messaging limit">{c.messagingLimit?.replace(/^TIER_/, "") ?? "—"}</Fact>
          <Fact label="Phone number ID">
            <span className="font-mono text-xs">{c.phoneNumberId}</span>
          </Fact>
          <Fact label="WhatsApp Business Account">
            <span className="font-mono text-xs">{c.wabaId}</span>
          </Fact>
          <Fact label="Connected">
            <time dateTime={c.createdAt} title={formatUtc(c.createdAt)}>
              {formatAgo(c.createdAt, now)}
            </time>
          </Fact>
        </dl>
      </section>

      <HealthHistory c={c} t={timeline} now={now} />
      <RecentChecks checks={timeline.recentChecks} now={now} />

      {removed ? null : (
        <>
          <section aria-labelledby="settings-title" className={card}>
            <h2 id="settings-title" className="text-base font-semibold">
              Settings
            </h2>
            <div className="mt-3">
              <ConnectionSettingsForm connectionId={c.id} name={c.name} settings={c.settings} replyTypes={AUTO_REPLY_TYPES} defaultReplyText={DEFAULT_AUTO_REPLY_TEXT} />
            </div>
          </section>
          <section aria-labelledby="danger-title" className={`${card} border-red-200`}>
            <h2 id="danger-title" className="text-base font-semibold text-red-800">
              Disconnect this number
            </h2>
            <p className="mt-1 text-sm text-slate-600">Stops its webhooks and erases its access token. Its history stays.</p>
            <div className="mt-3">
              <DisconnectButton connectionId={c.id} title={title} />
            </div>
          </section>
        </>
      )}
    </div>
  );
}
