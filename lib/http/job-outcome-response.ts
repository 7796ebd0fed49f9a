import { fail, ok } from "@/lib/http/respond";
import type { RunJobOutcome } from "@/lib/jobs/run-job";

/** The job endpoints' answers: 200 `{ success, jobId, runId, message, data }` (docs/jobs.md); 429 when already running, 500 naming the failed run. */
export function jobOutcomeResponse(jobId: string, outcome: RunJobOutcome): Response {
  switch (outcome.status) {
    case "succeeded":
      return ok({ jobId, runId: outcome.runId, message: outcome.result.message, data: { ...outcome.result.summary, hasMore: outcome.result.hasMore ?? false } });
    case "skipped":
      return ok({ skipped: true, jobId, runId: outcome.runId, message: outcome.reason, data: null });
    case "duplicate_slot":
      return ok({ skipped: true, jobId, runId: null, message: "This scheduled occurrence already ran", data: null });
    case "busy":
      return fail("rate_limited", "Job already running");
    case "failed":
      return fail("internal_error", outcome.error, { jobId, runId: outcome.runId });
  }
}
