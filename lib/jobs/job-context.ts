import type { Logger } from "pino";

// What every job handler gets from the runner (lib/jobs/run-job.ts) and must give back.

export type JobContext = {
  runId: string;
  log: Logger;
  /** Epoch ms by which the handler must stop taking new work and return (its cursor saved). */
  deadline: number;
  /** Where the previous, time-limited invocation of this job stopped; null = start afresh. */
  cursor: unknown;
  /** Saves progress, so a later invocation resumes there. Fails if this run no longer owns the job. */
  saveCursor(cursor: unknown): Promise<void>;
  /** Renews the job's claim and its lock now (the runner also does so on an interval). Throws if ownership was lost. */
  heartbeat(): Promise<void>;
  /** Aborted when the run loses the job (its claim taken or lapsed, or its lock lost): stop as soon as possible. The run is recorded failed. */
  signal: AbortSignal;
};

/** Summary counts recorded on the job run (e.g. total, healthy, warning, critical, reconnected, notified). */
export type JobSummary = Record<string, number>;

export type JobResult = {
  message: string;
  summary: JobSummary;
  /** True when the time budget ran out with work left: the cursor is saved and the next run resumes. */
  hasMore?: boolean;
};

export type JobHandler = (ctx: JobContext) => Promise<JobResult>;
