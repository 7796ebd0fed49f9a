import type { InboxLag } from "@/lib/webhooks/get-inbox-lag";
import { Fact, ToneText } from "@/components/connections/tone";
import { formatDuration } from "@/components/time/format-time";

/** For platform admins: how far processing is behind Meta across every workspace (the figures /api/health reports). */
export function InboxLagPanel({ lag, degradedAfterSeconds }: { lag: InboxLag; degradedAfterSeconds: number }) {
  const lagging = lag.oldestPendingSeconds > degradedAfterSeconds;
  return (
    <section aria-labelledby="inbox-lag-heading" className="rounded-lg border border-slate-200 bg-white p-4" data-testid="inbox-lag">
      <h2 id="inbox-lag-heading" className="text-sm font-semibold text-slate-900">
        Webhook inbox, all workspaces <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 align-middle text-xs font-medium text-slate-600">admin</span>
      </h2>
      <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-3 sm:grid-cols-4">
        <Fact label="Waiting to be processed">{lag.backlog}</Fact>
        <Fact label="Oldest waiting">
          {lag.backlog === 0 ? (
            "—"
          ) : (
            <ToneText tone={lagging ? "warn" : "ok"} title={`Health reports "degraded" past ${formatDuration(degradedAfterSeconds)}`}>
              {formatDuration(lag.oldestPendingSeconds)}
              {lagging ? " (lagging)" : ""}
            </ToneText>
          )}
        </Fact>
        <Fact label="Failed, retrying">{lag.retrying}</Fact>
        <Fact label="Dead">{lag.dead}</Fact>
      </dl>
    </section>
  );
}
