import { setTimeout as sleep } from "node:timers/promises";
import type { JobDefinition } from "@/lib/jobs/job-registry";
import type { RunJobOutcome } from "@/lib/jobs/run-job";

// Calls a job through the real runner again and again, as a cron would, until it reports no more
// work: each invocation is time-budgeted and resumes from the previous one's cursor. While another
// process holds the job's lock ("busy") it waits a second and tries again, up to MAX_BUSY_WAIT_MS.

const MAX_INVOCATIONS = 100;
const MAX_BUSY_WAIT_MS = 120_000;

export interface Invocation {
  status: string;
  ms: number;
  summary: Record<string, number>;
  hasMore: boolean;
  error?: string;
}

export interface JobLoopResult {
  invocations: Invocation[];
  busy: number;
  /** performance.now() at the first invocation that ran, and after the last one. */
  first: number | null;
  last: number;
}

export async function runJobUntilDone(
  def: JobDefinition,
  by: string,
  /** After each invocation that ran: return false to stop even if the job says it has more. */
  onInvocation: (invocation: Invocation, index: number) => Promise<boolean | void> = async () => undefined,
): Promise<JobLoopResult> {
  // Imported here: the app's env must be set before its modules load.
  const { runJob } = await import("@/lib/jobs/run-job");
  const result: JobLoopResult = { invocations: [], busy: 0, first: null, last: 0 };
  let busySince: number | null = null;
  while (result.invocations.length < MAX_INVOCATIONS) {
    const started = performance.now();
    const outcome: RunJobOutcome = await runJob(def, { kind: "manual", by });
    const ms = performance.now() - started;
    if (outcome.status === "busy") {
      result.busy++;
      busySince ??= started;
      if (started - busySince > MAX_BUSY_WAIT_MS) throw new Error(`the job lock stayed held by someone else for ${MAX_BUSY_WAIT_MS / 1000} s`);
      await sleep(1_000);
      continue;
    }
    busySince = null;
    result.first ??= started;
    result.last = performance.now();
    const invocation: Invocation =
      outcome.status === "succeeded"
        ? { status: outcome.status, ms, summary: outcome.result.summary, hasMore: outcome.result.hasMore ?? false }
        : { status: outcome.status, ms, summary: {}, hasMore: false, error: outcome.status === "failed" ? outcome.error : outcome.status === "skipped" ? outcome.reason : outcome.status };
    result.invocations.push(invocation);
    const goOn = await onInvocation(invocation, result.invocations.length);
    if (outcome.status !== "succeeded" || goOn === false || (!invocation.hasMore && goOn !== true)) break;
  }
  return result;
}
