import { Cron } from "croner";
import type { JobDefinition } from "@/lib/jobs/job-registry";

// Schedule arithmetic in the job's own IANA time zone (croner handles DST: a local time skipped by the
// spring change runs at the next valid instant, one repeated in autumn runs once).

function cron(def: Pick<JobDefinition, "schedule" | "timeZone">): Cron {
  return new Cron(def.schedule, { timezone: def.timeZone, paused: true });
}

/** The latest scheduled occurrence at or before `now`. */
export function previousRun(def: Pick<JobDefinition, "schedule" | "timeZone">, now: Date): Date | null {
  return cron(def).previousRuns(1, new Date(now.getTime() + 1))[0] ?? null;
}

export function nextRun(def: Pick<JobDefinition, "schedule" | "timeZone">, now: Date): Date | null {
  return cron(def).nextRun(now);
}
