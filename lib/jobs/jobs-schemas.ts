import { z } from "zod";

// Response payloads of the job routes and the admin API (also the source of their OpenAPI description
// and what the dashboard's job buttons parse). Each gets `success: true` from the envelope.

/** A job call's answer: ran (`data` = the run's counts), or skipped (paused, or the slot already ran). */
export const jobOutcomeSchema = z.object({
  jobId: z.string(),
  runId: z.string().nullable().describe("null when a scheduled slot already ran"),
  message: z.string(),
  skipped: z.literal(true).optional().describe("The job is paused, or this scheduled occurrence already ran"),
  data: z.record(z.string(), z.union([z.number(), z.boolean()])).nullable().describe("The run's counts and hasMore; null when skipped"),
});

export const jobPausedSchema = z.object({ data: z.object({ job: z.string(), paused: z.boolean() }) });

export const jobStatusSchema = z.object({
  job: z.string(),
  description: z.string(),
  schedule: z.string(),
  timeZone: z.string(),
  nextRunAt: z.iso.datetime().nullable(),
  paused: z.boolean(),
  running: z.boolean(),
  resumesFromCursor: z.boolean(),
  lastRuns: z.array(
    z.object({
      runId: z.string(),
      status: z.enum(["RUNNING", "SUCCEEDED", "FAILED", "SKIPPED"]),
      trigger: z.string().describe("cron | dispatcher | manual"),
      triggeredBy: z.string().nullable(),
      startedAt: z.iso.datetime(),
      finishedAt: z.iso.datetime().nullable(),
      durationMs: z.number().int().nullable(),
      summary: z.unknown().describe("The run's counts"),
      error: z.string().nullable(),
    }),
  ),
});

export const dispatchResultSchema = z.object({
  message: z.string(),
  data: z.array(
    z.object({
      job: z.string(),
      slot: z.iso.datetime(),
      outcome: z.enum(["succeeded", "failed", "skipped", "busy", "duplicate_slot"]),
      runId: z.string().optional(),
    }),
  ),
});

export type JobOutcome = z.infer<typeof jobOutcomeSchema>;
export type JobPaused = z.infer<typeof jobPausedSchema>;
