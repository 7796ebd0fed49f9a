import { withAdmin } from "@/lib/http/with-admin";
import { getJobOrThrow } from "@/lib/jobs/job-registry";
import { setJobPaused } from "@/lib/jobs/set-job-paused";
import { ok } from "@/lib/http/respond";

// POST /api/v1/cron/start/{job} – resume a paused job (audit-logged)
export const POST = withAdmin<{ job: string }>(async ({ params, actor }) => {
  const def = getJobOrThrow(params.job);
  return ok({ data: await setJobPaused(def, false, actor) });
});
