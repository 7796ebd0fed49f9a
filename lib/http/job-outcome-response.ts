import { jobErrorJson } from "@/lib/http/error-response";
import type { RunJobOutcome } from "@/lib/jobs/run-job";

/** The job endpoints' answers: 200 `{ success, jobId, runId, message, data }`, 429 when already running. */
export function jobOutcomeResponse(jobId: string, outcome: RunJobOutcome): Response {
  switch (outcome.status) {
    case "succeeded":
      return Response.json({
        success: true,
        jobId,
        runId: outcome.runId,
        message: outcome.result.message,
        data: { ...outcome.result.summary, hasMore: outcome.result.hasMore ?? false },
      });
    case "skipped":
      return Response.json({ success: true, skipped: true, jobId, runId: outcome.runId, message: outcome.reason, data: null });
    case "duplicate_slot":
      return Response.json({ success: true, skipped: true, jobId, runId: null, message: "This scheduled occurrence already ran", data: null });
    case "busy":
      return jobErrorJson(429, "Job already running");
    case "failed":
      return Response.json({ success: false, jobId, runId: outcome.runId, error: outcome.error }, { status: 500 });
  }
}
