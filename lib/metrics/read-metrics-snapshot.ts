import { queryRows } from "@/lib/db/client";
import { getOutboxLag } from "@/lib/outbound/get-outbox-lag";
import { getInboxLag } from "@/lib/webhooks/get-inbox-lag";

export type MetricsSnapshot = {
  webhookStates: Array<{ state: string; count: number }>;
  oldestPendingSeconds: number;
  outboundStates: Array<{ state: string; count: number }>;
  oldestDueSendSeconds: number;
  /** Epoch seconds; the columns hold UTC without a zone, which extract(epoch …) reads as UTC. */
  jobs: Array<{ job: string; lastSuccessAt: number | null; lastDurationSeconds: number | null }>;
  jobRuns: Array<{ job: string; outcome: string; count: number }>;
  connections: Array<{ health: string; status: string; count: number }>;
  /** Epoch seconds of the soonest expiry among live connections' valid tokens. */
  soonestTokenExpiry: number | null;
  emails: Array<{ status: string; count: number }>;
};

type Counted = { label: string; label2?: string; count: number };

/**
 * Everything /api/metrics reports, read from the database at scrape time: on serverless, instances
 * come and go, so only durable state gives figures that mean the same on every scrape. Each part is
 * an indexed count or a per-key first entry; the route caches the result for a few seconds.
 */
export async function readMetricsSnapshot(): Promise<MetricsSnapshot> {
  const [lag, outboxLag, webhookStates, outboundStates, jobs, jobRuns, connections, expiry, emails] = await Promise.all([
    getInboxLag(),
    getOutboxLag(),
    queryRows<Counted>(`SELECT state::text AS label, count(*)::int AS count FROM "WebhookEvent" GROUP BY state`, []),
    queryRows<Counted>(`SELECT state::text AS label, count(*)::int AS count FROM "OutboundMessage" GROUP BY state`, []),
    // The last finished run and the last success per job: the first entries of the (job, startedAt) index.
    queryRows<{ job: string; lastSuccessAt: number | null; lastDurationSeconds: number | null }>(
      `SELECT j.name AS job,
              (SELECT extract(epoch FROM r."finishedAt")::float8 FROM "JobRun" r WHERE r.job = j.name AND r.status = 'SUCCEEDED' ORDER BY r."startedAt" DESC LIMIT 1) AS "lastSuccessAt",
              (SELECT extract(epoch FROM (r."finishedAt" - r."startedAt"))::float8 FROM "JobRun" r
                 WHERE r.job = j.name AND r."finishedAt" IS NOT NULL ORDER BY r."startedAt" DESC LIMIT 1) AS "lastDurationSeconds"
         FROM "Job" j`,
      [],
    ),
    queryRows<Counted>(`SELECT job AS label, status::text AS label2, count(*)::int AS count FROM "JobRun" GROUP BY job, status`, []),
    queryRows<Counted>(`SELECT "healthStatus"::text AS label, status::text AS label2, count(*)::int AS count FROM "WhatsAppConnection" GROUP BY 1, 2`, []),
    queryRows<{ soonest: number | null }>(
      `SELECT extract(epoch FROM min(t."expiresAt"))::float8 AS soonest FROM "AccessToken" t JOIN "WhatsAppConnection" c ON c."tokenId" = t.id
        WHERE t."isValid" AND c.status <> 'REMOVED'`,
      [],
    ),
    queryRows<Counted>(`SELECT status::text AS label, count(*)::int AS count FROM "EmailMessage" GROUP BY status`, []),
  ]);
  return {
    webhookStates: webhookStates.map((r) => ({ state: r.label, count: r.count })),
    oldestPendingSeconds: lag.oldestPendingSeconds,
    outboundStates: outboundStates.map((r) => ({ state: r.label, count: r.count })),
    oldestDueSendSeconds: outboxLag.oldestDueSeconds,
    jobs: jobs.map((j) => ({ job: j.job, lastSuccessAt: numberOrNull(j.lastSuccessAt), lastDurationSeconds: numberOrNull(j.lastDurationSeconds) })),
    jobRuns: jobRuns.map((r) => ({ job: r.label, outcome: r.label2 ?? "", count: r.count })),
    connections: connections.map((r) => ({ health: r.label, status: r.label2 ?? "", count: r.count })),
    soonestTokenExpiry: numberOrNull(expiry[0]?.soonest ?? null),
    emails: emails.map((r) => ({ status: r.label, count: r.count })),
  };
}

function numberOrNull(v: number | string | null): number | null {
  return v === null ? null : Number(v);
}
