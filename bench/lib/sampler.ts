import type pg from "pg";
import { backlog, connectionStates, failedProcessing, type StateCounts } from "@/bench/lib/database";

// Once a second: the processing backlog (PENDING + PROCESSING rows), the deliveries whose processing
// failed and wait for the retry path, and what the app's database connections are doing. A backlog
// that climbs while the load is steady means processing does not keep up; all pool connections
// "active" all the time would mean the pool is the queue.

export interface Sample {
  /** Seconds since the sampler started. */
  t: number;
  backlog: number;
  /** FAILED by a processing error (waiting for the retry path) or DEAD, in the whole table. */
  failed: number;
  connections: StateCounts;
}

export interface Sampler {
  samples: Sample[];
  stop(): Promise<Sample[]>;
}

export function startSampler(pool: pg.Pool, database: string, everyMs = 1_000): Sampler {
  const samples: Sample[] = [];
  const began = performance.now();
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const take = async () => {
    const t = Math.round((performance.now() - began) / 100) / 10;
    const [b, f, c] = await Promise.all([backlog(pool), failedProcessing(pool), connectionStates(pool, database)]);
    samples.push({ t, backlog: b, failed: f, connections: c });
  };
  const loop = async () => {
    while (!stopped) {
      const next = performance.now() + everyMs;
      running = take().catch((err: Error) => console.error(`sample failed: ${err.message}`));
      await running;
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
  };
  void loop();
  return {
    samples,
    async stop() {
      stopped = true;
      await running;
      return samples;
    },
  };
}

/** Least-squares slope of the backlog over time, in rows per second. */
export function backlogSlope(samples: Sample[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const mt = samples.reduce((a, s) => a + s.t, 0) / n;
  const mb = samples.reduce((a, s) => a + s.backlog, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - mt) * (s.backlog - mb);
    den += (s.t - mt) ** 2;
  }
  return den === 0 ? 0 : num / den;
}
