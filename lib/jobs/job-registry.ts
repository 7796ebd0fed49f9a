import { AppError } from "@/lib/http/app-error";
import type { JobHandler } from "@/lib/jobs/job-context";

// Every job WhaTrack runs: its schedule (cron syntax in an IANA time zone, DST-aware), its time budget
// per invocation, and its handler, loaded lazily so one job's code never slows another's route.

/** The job routes' `maxDuration` (seconds). Budgets leave room under it to record the run. */
export const JOB_MAX_DURATION_SECONDS = 300;

export type JobDefinition = {
  name: string;
  description: string;
  schedule: string;
  timeZone: string;
  /** Seconds a single invocation may spend on work before it saves its cursor and returns. */
  budgetSeconds: number;
  load: () => Promise<JobHandler>;
};

const definitions: JobDefinition[] = [
  {
    name: "whatsapp-health-check",
    description: "Validate every connection's access token against Graph",
    // The original design: 3:00 AM Israel time, off-peak for its first users.
    schedule: "0 3 * * *",
    timeZone: "Asia/Jerusalem",
    budgetSeconds: 240,
    load: async () => (await import("@/lib/health/run-health-sweep")).runHealthSweep,
  },
  {
    name: "webhook-retry",
    description: "Reprocess failed and stuck webhook deliveries; dead-letter the hopeless",
    schedule: "*/5 * * * *",
    timeZone: "UTC",
    budgetSeconds: 240,
    load: async () => (await import("@/lib/webhooks/run-webhook-retry")).runWebhookRetry,
  },
  {
    name: "connection-monitor",
    description: "Check each number's status, quality and webhook subscription; re-subscribe when lost",
    schedule: "*/15 * * * *",
    timeZone: "UTC",
    budgetSeconds: 240,
    load: async () => (await import("@/lib/health/run-connection-monitor")).runConnectionMonitor,
  },
  {
    name: "data-retention",
    description: "Prune what grows: processed and failed webhook payloads, status events, activity, health rows, job runs, emails, the audit log",
    schedule: "30 4 * * *",
    timeZone: "Asia/Jerusalem",
    budgetSeconds: 240,
    load: async () => (await import("@/lib/retention/run-data-retention")).runDataRetention,
  },
  {
    name: "template-sync",
    description: "Sync every workspace's message templates from Graph; mark the ones Meta no longer lists DELETED",
    // Webhooks keep templates current; the hourly sync repairs what a lost or unreadable webhook missed.
    schedule: "17 * * * *",
    timeZone: "UTC",
    budgetSeconds: 240,
    load: async () => (await import("@/lib/templates/run-template-sync")).runTemplateSync,
  },
];

export const JOBS: readonly JobDefinition[] = definitions;

export function findJob(name: string): JobDefinition | null {
  return definitions.find((j) => j.name === name) ?? null;
}

export function getJobOrThrow(name: string): JobDefinition {
  const def = findJob(name);
  if (!def) throw new AppError("not_found", `Unknown job "${name}"`);
  return def;
}
