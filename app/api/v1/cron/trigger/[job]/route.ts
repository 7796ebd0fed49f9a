import { recordAudit } from "@/lib/audit/record-audit";
import { jobOutcomeResponse } from "@/lib/http/job-outcome-response";
import { withAdmin } from "@/lib/http/with-admin";
import { getJobOrThrow } from "@/lib/jobs/job-registry";
import { runJob } from "@/lib/jobs/run-job";

export const maxDuration = 300;

// POST /api/v1/cron/trigger/{job} – run a job now, as the admin who asked (audit-logged)
export const POST = withAdmin<{ job: string }>(async ({ params, actor }) => {
  const def = getJobOrThrow(params.job);
  await recordAudit({ actor, action: "job.trigger", target: def.name });
  return jobOutcomeResponse(def.name, await runJob(def, { kind: "manual", by: actor }));
});
