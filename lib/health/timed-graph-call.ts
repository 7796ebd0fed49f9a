import { GraphError } from "@/lib/whatsapp/graph-error";
import type { RateLimited } from "@/lib/health/graph-rate-limit";

export type GraphOutcome<T> = { ok: true; value: T; latencyMs: number } | { ok: false; error: GraphError; latencyMs: number };

/**
 * One Graph call through the rate limit, timed (the wait for a slot is not counted), with Graph's failures
 * returned as values: health checks record them rather than abort. Anything else (a bug) still throws.
 */
export async function timedGraphCall<T>(rateLimited: RateLimited, call: () => Promise<T>): Promise<GraphOutcome<T>> {
  return rateLimited(async () => {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    try {
      const value = await call();
      return { ok: true as const, value, latencyMs: latency() };
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      return { ok: false as const, error: err, latencyMs: latency() };
    }
  });
}
