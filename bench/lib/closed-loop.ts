import { summarize, type LatencySummary } from "@/bench/lib/percentiles";

// A closed loop inside the bench process: `callers` async callers, each starting its next call as soon
// as the last one settled, for a warm-up and then a measured window. Only calls that start inside the
// window count. `onWindow` runs at the window's start and end (CPU snapshots), awaited by the loop.

export type ClosedLoopResult = {
  calls: number;
  seconds: number;
  perSecond: number;
  latency: LatencySummary;
  errors: number;
  firstError: string | null;
};

export async function closedLoop(
  call: () => Promise<void>,
  options: { callers: number; warmupMs: number; durationMs: number; onWindowStart?: () => Promise<void>; onWindowEnd?: () => Promise<void> },
): Promise<ClosedLoopResult> {
  const began = performance.now();
  const windowStart = began + options.warmupMs;
  const windowEnd = windowStart + options.durationMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;

  const hooks = (async () => {
    await new Promise((r) => setTimeout(r, options.warmupMs));
    await options.onWindowStart?.();
    await new Promise((r) => setTimeout(r, Math.max(0, windowEnd - performance.now())));
    await options.onWindowEnd?.();
  })();

  const caller = async () => {
    while (performance.now() < windowEnd) {
      const started = performance.now();
      try {
        await call();
        if (started >= windowStart) latencies.push(performance.now() - started);
      } catch (err) {
        if (started >= windowStart) errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all([...Array.from({ length: options.callers }, caller), hooks]);
  const seconds = options.durationMs / 1_000;
  return { calls: latencies.length, seconds, perSecond: latencies.length / seconds, latency: summarize(latencies), errors, firstError };
}
