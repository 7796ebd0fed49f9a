import { jobOutcomeResponse } from "@/lib/http/job-outcome-response";
import { withCronSecret } from "@/lib/http/with-cron-secret";
import { getJobOrThrow } from "@/lib/jobs/job-registry";
import { runJob } from "@/lib/jobs/run-job";

// Keep equal to JOB_MAX_DURATION_SECONDS (a literal: Next reads it statically; a test checks it).
export const maxDuration = 300;

// GET|POST /api/v1/jobs/{job} – run a job (Vercel Cron sends GET with Authorization: Bearer; curl POSTs with x-cron-secret)
const run = withCronSecret<{ job: string }>(async ({ params, caller }) => {
  const def = getJobOrThrow(params.job);
  return jobOutcomeResponse(def.name, await runJob(def, { kind: "cron", by: caller }));
});

export const GET = run;
export const POST = run;
