import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { readMetricsSnapshot, type MetricsSnapshot } from "@/lib/metrics/read-metrics-snapshot";

// Scrapes within this window share one snapshot: several Prometheus replicas (or a dashboard that
// refreshes) cost the database one set of counts.
const CACHE_MS = 5_000;

type Cached = { at: number; snapshot: Promise<MetricsSnapshot> };

// On globalThis: Next loads route modules separately, and default metrics must be registered once.
const g = globalThis as typeof globalThis & { __whatrackMetrics?: { registry: Registry; cached: Cached | null } };

function state() {
  if (g.__whatrackMetrics) return g.__whatrackMetrics;
  const registry = new Registry();
  // This instance's process (memory, CPU, event-loop lag): per instance by nature.
  collectDefaultMetrics({ register: registry });
  const holder = { registry, cached: null as Cached | null };
  const snapshot = () => {
    if (!holder.cached || Date.now() - holder.cached.at > CACHE_MS) {
      const fresh = { at: Date.now(), snapshot: readMetricsSnapshot() };
      // A failed read is not cached: the next scrape tries again.
      fresh.snapshot.catch(() => {
        if (holder.cached === fresh) holder.cached = null;
      });
      holder.cached = fresh;
    }
    return holder.cached.snapshot;
  };
  const gauge = <L extends string>(name: string, help: string, labelNames: L[], fill: (g: Gauge<L>, s: MetricsSnapshot) => void) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const s = await snapshot();
        this.reset();
        fill(this, s);
      },
    });

  gauge("whatrack_webhook_backlog", "Webhook deliveries stored but not processed yet, by state", ["state"], (m, s) => {
    for (const st of ["PENDING", "PROCESSING"]) m.set({ state: st }, s.webhookStates.find((w) => w.state === st)?.count ?? 0);
  });
  gauge("whatrack_webhook_oldest_pending_seconds", "Age of the oldest unprocessed webhook delivery (0 when none)", [], (m, s) => m.set(s.oldestPendingSeconds));
  gauge("whatrack_webhook_events_total", "Webhook deliveries kept (within retention), by state", ["state"], (m, s) => {
    for (const w of s.webhookStates) m.set({ state: w.state }, w.count);
  });
  gauge("whatrack_outbound_queue", "Outbound sends by state", ["status"], (m, s) => {
    for (const o of s.outboundStates) m.set({ status: o.state }, o.count);
  });
  gauge("whatrack_outbound_oldest_due_seconds", "How long the most overdue queued send has waited for a drainer (0 when none is due)", [], (m, s) => m.set(s.oldestDueSendSeconds));
  gauge("whatrack_outbound_sent_total", "Outbound sends that ended, by result (kept within retention)", ["result"], (m, s) => {
    for (const result of ["SENT", "FAILED", "DEAD"]) m.set({ result: result.toLowerCase() }, s.outboundStates.find((o) => o.state === result)?.count ?? 0);
  });
  gauge("whatrack_job_last_success_timestamp_seconds", "When each job last finished successfully (absent: never)", ["job"], (m, s) => {
    for (const j of s.jobs) if (j.lastSuccessAt !== null) m.set({ job: j.job }, j.lastSuccessAt);
  });
  gauge("whatrack_job_last_duration_seconds", "Duration of each job's last finished run", ["job"], (m, s) => {
    for (const j of s.jobs) if (j.lastDurationSeconds !== null) m.set({ job: j.job }, j.lastDurationSeconds);
  });
  gauge("whatrack_job_runs_total", "Recorded job runs (within retention), by job and outcome", ["job", "outcome"], (m, s) => {
    for (const r of s.jobRuns) m.set({ job: r.job, outcome: r.outcome.toLowerCase() }, r.count);
  });
  gauge("whatrack_connections", "Connected numbers by health and status", ["health", "status"], (m, s) => {
    for (const c of s.connections) m.set({ health: c.health.toLowerCase(), status: c.status.toLowerCase() }, c.count);
  });
  gauge("whatrack_token_expiry_seconds", "Seconds until the soonest-expiring valid access token of a live number expires (absent: none expires)", [], (m, s) => {
    if (s.soonestTokenExpiry !== null) m.set(Math.round(s.soonestTokenExpiry - Date.now() / 1000));
  });
  gauge("whatrack_emails", "Alert emails by status", ["status"], (m, s) => {
    for (const e of s.emails) m.set({ status: e.status.toLowerCase() }, e.count);
  });
  g.__whatrackMetrics = holder;
  return holder;
}

/** The Prometheus text exposition of every metric, and its content type. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = state();
  return { body: await registry.metrics(), contentType: registry.contentType };
}

/** Drops the cached snapshot (tests: figures change between two scrapes). */
export function forgetMetricsSnapshot(): void {
  if (g.__whatrackMetrics) g.__whatrackMetrics.cached = null;
}
