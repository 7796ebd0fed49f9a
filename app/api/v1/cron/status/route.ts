import { withAdmin } from "@/lib/http/with-admin";
import { getJobStatus } from "@/lib/jobs/get-job-status";
import { JOBS } from "@/lib/jobs/job-registry";
import { ok } from "@/lib/http/respond";

// GET /api/v1/cron/status – every job: schedule, next run, paused, running, recent runs (admin)
export const GET = withAdmin(async () => {
  const statuses = await Promise.all(JOBS.map((def) => getJobStatus(def, { runs: 5 })));
  return ok({ data: Object.fromEntries(statuses.map((s) => [s.job, s])) });
});
