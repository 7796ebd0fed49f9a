import { describe, expect, it } from "vitest";
import { errorEnvelopeSchema, successEnvelope } from "@/lib/http/envelope";
import { jobOutcomeResponse } from "@/lib/http/job-outcome-response";
import { jobOutcomeSchema } from "@/lib/jobs/jobs-schemas";
import type { RunJobOutcome } from "@/lib/jobs/run-job";

// Every outcome of a job call in the one envelope: the cron docs' `{ success, jobId, runId, message, data }`
// on success, `{ success: false, error: { code, message } }` (with the failed run's ids) otherwise.
const success = successEnvelope(jobOutcomeSchema).strict();

async function answer(outcome: RunJobOutcome) {
  const res = jobOutcomeResponse("webhook-retry", outcome);
  return { status: res.status, body: (await res.json()) as unknown };
}

describe("jobOutcomeResponse", () => {
  it("answers a run with its counts and hasMore", async () => {
    const { status, body } = await answer({ status: "succeeded", runId: "r1", result: { message: "Retried 2", summary: { total: 2 }, hasMore: true } });
    expect(status).toBe(200);
    expect(success.parse(body)).toEqual({ success: true, jobId: "webhook-retry", runId: "r1", message: "Retried 2", data: { total: 2, hasMore: true } });
  });

  it("answers a skipped call (paused, or the slot already ran) as a success with data null", async () => {
    for (const outcome of [{ status: "skipped", runId: "r2", reason: "Job is paused" }, { status: "duplicate_slot" }] as const) {
      const { status, body } = await answer(outcome);
      expect(status).toBe(200);
      expect(success.parse(body)).toMatchObject({ success: true, skipped: true, jobId: "webhook-retry", data: null });
    }
  });

  it("answers busy with 429 and a failed run with 500 naming the run, in the error envelope", async () => {
    const busy = await answer({ status: "busy" });
    expect(busy.status).toBe(429);
    expect(errorEnvelopeSchema.parse(busy.body)).toEqual({ success: false, error: { code: "rate_limited", message: "Job already running" } });
    const failed = await answer({ status: "failed", runId: "r3", error: "Job ownership lost: lease lapsed" });
    expect(failed.status).toBe(500);
    expect(errorEnvelopeSchema.parse(failed.body)).toEqual({ success: false, jobId: "webhook-retry", runId: "r3", error: { code: "internal_error", message: "Job ownership lost: lease lapsed" } });
  });
});
