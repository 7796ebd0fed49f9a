import Link from "next/link";
import { getPageSession } from "@/lib/auth/get-page-session";
import { listOutboxQuery } from "@/lib/alerts/alerts-schemas";
import { listOutbox } from "@/lib/alerts/list-outbox";
import { env } from "@/lib/env";
import { listHealthChecksQuery } from "@/lib/health/health-check-schemas";
import { listWorkspaceHealthChecks } from "@/lib/health/list-workspace-health-checks";
import { getJobStatus } from "@/lib/jobs/get-job-status";
import { JOBS } from "@/lib/jobs/job-registry";
import { EmptyState } from "@/components/states/empty-state";
import { formatMs } from "@/components/time/format-time";
import { LocalTime } from "@/components/time/local-time";
import { JobActions } from "@/app/(dashboard)/jobs/job-actions";

export const metadata = { title: "Jobs" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
type JobStatus = Awaited<ReturnType<typeof getJobStatus>>;

export default async function JobsPage({ searchParams }: { searchParams: SearchParams }) {
  const { session, db } = await getPageSession();
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const checksQuery = listHealthChecksQuery.safeParse({ cursor: first(raw.checks), limit: 25 });
  const emailsQuery = listOutboxQuery.safeParse({ cursor: first(raw.emails), limit: 20 });
  const [jobs, checks, emails] = await Promise.all([
    session.isAdmin ? Promise.all(JOBS.map((def) => getJobStatus(def, { runs: 8 }))) : Promise.resolve(null),
    listWorkspaceHealthChecks(db, checksQuery.success ? checksQuery.data : listHealthChecksQuery.parse({ limit: 25 })),
    listOutbox(db, emailsQuery.success ? emailsQuery.data : listOutboxQuery.parse({ limit: 20 })),
  ]);

  return (
    <div className="space-y-10">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Jobs</h1>
        <p className="text-sm text-slate-600">
          {session.isAdmin ? "Scheduled work across the platform, your numbers' health checks, and alert emails that were not sent." : "Your numbers' health checks, and alert emails that were not sent."}
        </p>
      </div>

      {jobs ? (
        <section aria-labelledby="jobs-heading" className="space-y-3">
          <h2 id="jobs-heading" className="text-lg font-semibold text-slate-900">
            Scheduled jobs <span className="ml-1 rounded bg-slate-100 px-1.5 py-0.5 align-middle text-xs font-medium text-slate-600">admin</span>
          </h2>
          <ul className="space-y-4">
            {jobs.map((job) => (
              <JobCard key={job.job} job={job} />
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="checks-heading" className="space-y-3">
        <h2 id="checks-heading" className="text-lg font-semibold text-slate-900">
          Health-check history
        </h2>
        {checks.data.length === 0 ? (
          <EmptyState title="No health checks yet">The health-check and connection-monitor jobs record a row here every time they check one of your numbers.</EmptyState>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="min-w-full text-sm">
              <caption className="sr-only">Health checks of your numbers, newest first</caption>
              <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-3 py-2">Time</th>
                  <th scope="col" className="px-3 py-2">Number</th>
                  <th scope="col" className="px-3 py-2">Check</th>
                  <th scope="col" className="px-3 py-2">Result</th>
                  <th scope="col" className="px-3 py-2 text-right">Latency</th>
                  <th scope="col" className="px-3 py-2">Error</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {checks.data.map((c) => (
                  <tr key={c.id}>
                    <td className="whitespace-nowrap px-3 py-2 text-slate-700">
                      <LocalTime iso={c.checkedAt} />
                    </td>
                    <td className="whitespace-nowrap px-3 py-2">
                      <Link href={`/connections/${c.connection.id}`} className="text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
                        {c.connection.name ?? c.connection.displayPhoneNumber ?? c.connection.id}
                      </Link>
                    </td>
                    <td className="px-3 py-2 text-slate-700">{c.kind}</td>
                    <td className="px-3 py-2">
                      <ResultBadge result={c.result} />
                    </td>
                    <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums text-slate-700">{formatMs(c.latencyMs)}</td>
                    <td className="min-w-48 px-3 py-2 text-slate-700">
                      {c.errorMessage ? (
                        <span>
                          {c.errorMessage}
                          {c.errorCode !== null ? <span className="font-mono text-xs text-slate-500"> (#{c.errorCode})</span> : null}
                        </span>
                      ) : (
                        <span className="text-slate-400">—</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager param="checks" cursor={checks.nextCursor} current={checksQuery.success ? checksQuery.data.cursor : undefined} raw={raw} label="Older checks" />
      </section>

      <section aria-labelledby="outbox-heading" className="space-y-3">
        <h2 id="outbox-heading" className="text-lg font-semibold text-slate-900">
          Email outbox
        </h2>
        <p className="text-sm text-slate-600">
          {env.SMTP_URL
            ? "Alert emails the mail server refused. They are retried while the incident lasts."
            : "SMTP is not configured (SMTP_URL), so alert emails are kept here instead of being sent."}
        </p>
        {emails.data.length === 0 ? (
          <EmptyState title="The outbox is empty">Alert emails that could not be sent would be listed here.</EmptyState>
        ) : (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {emails.data.map((e) => (
              <li key={e.id} className="px-4 py-3">
                <details className="group">
                  <summary className="flex cursor-pointer list-none flex-wrap items-baseline gap-x-3 gap-y-1 rounded focus-visible:outline-2 focus-visible:outline-brand-600">
                    <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${e.status === "FAILED" ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-700"}`}>{e.status === "FAILED" ? "Failed" : "Outbox"}</span>
                    <span className="min-w-0 flex-1 font-medium text-slate-900">{e.subject}</span>
                    <span className="text-xs text-slate-500">
                      to {e.to} · <LocalTime iso={e.createdAt} />
                    </span>
                  </summary>
                  {e.error ? <p className="mt-2 font-mono text-xs text-red-700">{e.error}</p> : null}
                  <pre className="mt-2 max-h-80 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-3 text-xs text-slate-800">{e.text}</pre>
                </details>
              </li>
            ))}
          </ul>
        )}
        <Pager param="emails" cursor={emails.nextCursor} current={emailsQuery.success ? emailsQuery.data.cursor : undefined} raw={raw} label="Older emails" />
      </section>
    </div>
  );
}

function JobCard({ job }: { job: JobStatus }) {
  const state = job.running ? { text: "Running", className: "bg-sky-100 text-sky-800" } : job.paused ? { text: "Paused", className: "bg-amber-100 text-amber-900" } : { text: "Scheduled", className: "bg-brand-50 text-brand-700" };
  const last = job.lastRuns[0];
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4" data-testid="job" data-job={job.job}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1">
          <h3 className="flex flex-wrap items-center gap-2 font-mono text-sm font-semibold text-slate-900">
            {job.job}
            <span className={`rounded-full px-2 py-0.5 font-sans text-xs font-semibold ${state.className}`}>{state.text}</span>
            {last ? <RunBadge status={last.status} /> : null}
          </h3>
          <p className="mt-0.5 text-sm text-slate-600">{job.description}</p>
          <p className="mt-1 text-xs text-slate-500">
            {/* The schedule is read in the job's own zone; times on this page are in the viewer's. */}
            <span className="font-mono">{job.schedule}</span> in {job.timeZone} time · next run {job.paused ? "paused" : job.nextRunAt ? <LocalTime iso={job.nextRunAt} zone /> : "—"}
            {job.resumesFromCursor ? " · resumes from its saved cursor" : ""}
          </p>
        </div>
        <JobActions job={job.job} paused={job.paused} />
      </div>
      {job.lastRuns.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500">No runs yet.</p>
      ) : (
        <div className="mt-3 overflow-x-auto">
          <table className="min-w-full text-sm">
            <caption className="sr-only">Recent runs of {job.job}</caption>
            <thead className="text-left text-xs font-medium uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="py-1 pr-3">Started</th>
                <th scope="col" className="py-1 pr-3">Outcome</th>
                <th scope="col" className="py-1 pr-3 text-right">Duration</th>
                <th scope="col" className="py-1 pr-3">Trigger</th>
                <th scope="col" className="py-1">Counts</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {job.lastRuns.map((run) => (
                <tr key={run.runId} data-testid="job-run">
                  <td className="whitespace-nowrap py-1.5 pr-3 text-slate-700">
                    <LocalTime iso={run.startedAt} />
                  </td>
                  <td className="py-1.5 pr-3">
                    <RunBadge status={run.status} />
                  </td>
                  <td className="whitespace-nowrap py-1.5 pr-3 text-right tabular-nums text-slate-700">{run.status === "RUNNING" ? "…" : formatMs(run.durationMs)}</td>
                  <td className="whitespace-nowrap py-1.5 pr-3 text-slate-600">
                    {run.trigger}
                    {run.triggeredBy ? <span className="text-slate-500"> · {run.triggeredBy}</span> : null}
                  </td>
                  <td className="py-1.5 text-xs text-slate-600">
                    {run.error ? <span className="text-red-700">{run.error}</span> : <Counts summary={run.summary} />}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </li>
  );
}

function Counts({ summary }: { summary: unknown }) {
  if (!summary || typeof summary !== "object" || Array.isArray(summary)) return <span className="text-slate-400">—</span>;
  // hasMore is the runner's resume flag, not a count.
  const entries = Object.entries(summary).filter(([k, v]) => k !== "hasMore" && (typeof v === "number" || typeof v === "boolean" || typeof v === "string"));
  if (entries.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {entries.map(([k, v]) => (
        <span key={k} className="rounded bg-slate-100 px-1.5 py-0.5">
          {k}: <span className="font-medium text-slate-800">{String(v)}</span>
        </span>
      ))}
    </span>
  );
}

function RunBadge({ status }: { status: string }) {
  const className = status === "SUCCEEDED" ? "bg-brand-50 text-brand-700" : status === "FAILED" ? "bg-red-100 text-red-800" : status === "RUNNING" ? "bg-sky-100 text-sky-800" : "bg-slate-100 text-slate-700";
  return <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${className}`}>{status.toLowerCase()}</span>;
}

function ResultBadge({ result }: { result: string }) {
  const className = result === "HEALTHY" ? "bg-brand-50 text-brand-700" : result === "WARNING" ? "bg-amber-100 text-amber-900" : result === "CRITICAL" || result === "ERROR" ? "bg-red-100 text-red-800" : "bg-slate-100 text-slate-700";
  return <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${className}`}>{result.toLowerCase()}</span>;
}

function Pager({ param, cursor, current, raw, label }: { param: string; cursor: string | null; current: unknown; raw: Record<string, string | string[] | undefined>; label: string }) {
  if (!cursor && !current) return null;
  const link = (value: string | null) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(raw)) if (k !== param && typeof v === "string") params.set(k, v);
    if (value) params.set(param, value);
    return `/jobs${params.size ? `?${params}` : ""}`;
  };
  return (
    <nav aria-label={`${label} pages`} className="flex justify-between text-sm">
      {current ? (
        <Link href={link(null)} className="rounded-md px-2 py-1 font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600">
          ← Latest
        </Link>
      ) : (
        <span />
      )}
      {cursor ? (
        <Link href={link(cursor)} className="rounded-md px-2 py-1 font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600">
          {label} →
        </Link>
      ) : null}
    </nav>
  );
}
