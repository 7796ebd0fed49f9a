import { logger } from "@/lib/log/logger";
import type { JobContext } from "@/lib/jobs/job-context";

// A JobContext for calling job handlers directly in tests: the cursor lives in memory (the runner keeps it
// in the Job row), heartbeats are counted, and the deadline defaults to far away.

export type TestJobContext = JobContext & {
  /** The cursor the handler saved last (undefined if it never saved one; null = cleared). */
  savedCursor(): unknown;
  heartbeats: number;
  abort(reason?: unknown): void;
};

export function testJobContext(options: { deadline?: number; cursor?: unknown } = {}): TestJobContext {
  const controller = new AbortController();
  let saved: unknown = undefined;
  const ctx: TestJobContext = {
    runId: `test-run-${Math.random().toString(36).slice(2, 10)}`,
    log: logger.child({ job: "test" }),
    deadline: options.deadline ?? Date.now() + 10 * 60_000,
    cursor: options.cursor ?? null,
    saveCursor: async (cursor) => {
      saved = cursor;
    },
    heartbeat: async () => {
      ctx.heartbeats++;
    },
    signal: controller.signal,
    savedCursor: () => saved,
    heartbeats: 0,
    abort: (reason) => controller.abort(reason),
  };
  return ctx;
}
