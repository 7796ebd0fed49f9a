import Link from "next/link";
import { getPageSession } from "@/lib/auth/get-page-session";
import { env } from "@/lib/env";
import { getInboxLag } from "@/lib/webhooks/get-inbox-lag";
import { listWebhookEvents } from "@/lib/webhooks/list-webhook-events";
import { listWebhookEventsQuery, type WebhookEventView } from "@/lib/webhooks/webhooks-schemas";
import { EmptyState } from "@/components/states/empty-state";
import { LocalTime } from "@/components/time/local-time";
import { ReplayAllButton, ReplayButton, ReplayOutcome, ReplayResults } from "@/app/(dashboard)/webhooks/replay-buttons";
import { InboxLagPanel } from "@/app/(dashboard)/webhooks/inbox-lag";

export const metadata = { title: "Failed webhooks" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const TABS = [
  { state: undefined, label: "All" },
  { state: "failed", label: "Failed" },
  { state: "dead", label: "Dead" },
] as const;

const KIND_HELP: Record<string, string> = {
  MALFORMED: "Meta sent something that is not a valid webhook payload. Replaying gives the same result.",
  UNKNOWN_NUMBER: "No connected number matches this delivery. Connect the number, then replay.",
  PROCESSING: "Storing the delivery's messages or statuses failed. Retried automatically with backoff.",
};

export default async function WebhooksPage({ searchParams }: { searchParams: SearchParams }) {
  const { session, db } = await getPageSession();
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parsed = listWebhookEventsQuery.safeParse({ state: first(raw.state), cursor: first(raw.cursor) });
  const query = parsed.success ? parsed.data : listWebhookEventsQuery.parse({});
  // The lag is platform-wide (not scoped to this workspace), so only platform admins get it.
  const [{ data, nextCursor, counts }, lag] = await Promise.all([listWebhookEvents(db, query), session.isAdmin ? getInboxLag() : null]);
  const total = counts.failed + counts.dead;
  const href = (extra: Record<string, string | undefined>) => {
    const params = new URLSearchParams(Object.entries(extra).filter((e): e is [string, string] => e[1] !== undefined));
    return `/webhooks${params.size ? `?${params}` : ""}`;
  };

  return (
    <ReplayResults>
      <div className="space-y-4">
        <div className="flex flex-wrap items-end justify-between gap-3">
          <div>
            <h1 className="text-xl font-semibold text-slate-900">Failed webhooks</h1>
            <p className="max-w-2xl text-sm text-slate-600">
              Deliveries from Meta that could not be processed. <strong className="font-medium">Failed</strong> ones are retried automatically;{" "}
              <strong className="font-medium">dead</strong> ones gave up after 8 attempts. Replay sends a delivery through processing again.
            </p>
          </div>
          {total > 0 ? <ReplayAllButton state={query.state} count={query.state === "failed" ? counts.failed : query.state === "dead" ? counts.dead : total} /> : null}
        </div>
        <ReplayOutcome />
        {lag ? <InboxLagPanel lag={lag} degradedAfterSeconds={env.WEBHOOK_LAG_DEGRADED_SECONDS} /> : null}

        <nav aria-label="Filter by state" className="flex gap-1 border-b border-slate-200">
          {TABS.map((tab) => {
            const active = query.state === tab.state;
            const count = tab.state === "failed" ? counts.failed : tab.state === "dead" ? counts.dead : total;
            return (
              <Link
                key={tab.label}
                href={href({ state: tab.state })}
                aria-current={active ? "page" : undefined}
                className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-600 ${active ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
              >
                {tab.label} <span className="ml-1 rounded-full bg-slate-100 px-1.5 text-xs text-slate-700">{count}</span>
              </Link>
            );
          })}
        </nav>

        {data.length === 0 ? (
          query.cursor ? (
            <EmptyState title="No more events" action={<Link href={href({ state: query.state })} className="text-sm font-medium text-brand-700 hover:underline">Back to the latest</Link>} />
          ) : (
            <EmptyState title={query.state ? `No ${query.state} webhooks` : "No failed webhooks"}>Every delivery Meta sent was processed. Problems would show up here with their error and the next retry.</EmptyState>
          )
        ) : (
          <ul className="space-y-3" aria-label="Failed and dead deliveries">
            {data.map((event) => (
              <EventCard key={event.id} event={event} />
            ))}
          </ul>
        )}

        {nextCursor || query.cursor ? (
          <nav aria-label="Pages" className="flex justify-between text-sm">
            {query.cursor ? (
              <Link href={href({ state: query.state })} className="rounded-md px-2 py-1 font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600">
                ← Latest
              </Link>
            ) : (
              <span />
            )}
            {nextCursor ? (
              <Link href={href({ state: query.state, cursor: nextCursor })} className="rounded-md px-2 py-1 font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600">
                Older →
              </Link>
            ) : null}
          </nav>
        ) : null}
      </div>
    </ReplayResults>
  );
}

function EventCard({ event }: { event: WebhookEventView }) {
  const dead = event.state === "DEAD";
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4" data-testid="webhook-event" data-state={event.state.toLowerCase()}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1 space-y-1">
          <p className="flex flex-wrap items-center gap-2">
            <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${dead ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900"}`}>{dead ? "Dead" : "Failed"}</span>
            {event.errorKind ? <span className="font-mono text-xs text-slate-600">{event.errorKind}</span> : null}
            <span className="text-xs text-slate-500">
              received <LocalTime iso={event.receivedAt} />
            </span>
          </p>
          <p className="break-words font-mono text-sm text-slate-900">{event.lastError ?? "No error recorded"}</p>
          {event.errorKind && KIND_HELP[event.errorKind] ? <p className="text-xs text-slate-600">{KIND_HELP[event.errorKind]}</p> : null}
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 pt-1 text-xs text-slate-600 sm:grid-cols-4">
            <div>
              <dt className="text-slate-500">Attempts</dt>
              <dd className="font-medium text-slate-800">{event.attempts}</dd>
            </div>
            <div>
              <dt className="text-slate-500">{dead ? "Gave up" : "Next attempt"}</dt>
              <dd className="font-medium text-slate-800">
                {dead && event.deadAt ? <LocalTime iso={event.deadAt} /> : event.nextAttemptAt ? <LocalTime iso={event.nextAttemptAt} format="relative" /> : "Only on replay"}
              </dd>
            </div>
            <div>
              <dt className="text-slate-500">Deliveries from Meta</dt>
              <dd className="font-medium text-slate-800">{event.deliveries}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Number id</dt>
              <dd className="truncate font-mono text-slate-800">{event.phoneNumberId ?? "—"}</dd>
            </div>
          </dl>
        </div>
        <ReplayButton id={event.id} label={`${dead ? "dead" : "failed"} delivery received ${event.receivedAt.slice(0, 16).replace("T", " ")} UTC`} />
      </div>
    </li>
  );
}
