import { withCronSecret } from "@/lib/http/with-cron-secret";
import { getJobStatus } from "@/lib/jobs/get-job-status";
import { getJobOrThrow } from "@/lib/jobs/job-registry";
import { ok } from "@/lib/http/respond";

// GET /api/v1/jobs/{job}/status – running or not, paused, last runs with outcome and duration
export const GET = withCronSecret<{ job: string }>(async ({ params }) => {
  const def = getJobOrThrow(params.job);
  return ok({ data: await getJobStatus(def) });
});
