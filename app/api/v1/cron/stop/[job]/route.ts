import { withAdmin } from "@/lib/http/with-admin";
import { getJobOrThrow } from "@/lib/jobs/job-registry";
import { setJobPaused } from "@/lib/jobs/set-job-paused";
import { ok } from "@/lib/http/respond";

// POST /api/v1/cron/stop/{job} – pause a job: its calls answer skipped until started (audit-logged)
export const POST = withAdmin<{ job: string }>(async ({ params, actor }) => {
  const def = getJobOrThrow(params.job);
  return ok({ data: await setJobPaused(def, true, actor) });
});
