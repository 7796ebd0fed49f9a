import pLimit, { type LimitFunction } from "p-limit";

// The request-rate cap for the health jobs' Graph calls (HEALTH_CHECK_RATE_PER_SECOND).
//
// Meta counts a request when it *arrives*, which is somewhere between our start and our receiving the answer,
// so capping how often calls *start* (p-throttle, even in strict mode) lets a slow first call and a prompt
// later one land in the same second: measured against the simulator, a 20/s start-rate cap peaked at 22.
// Instead every call holds one of `perSecond` slots from its start until one second after it settles. Two
// calls that share a slot then arrive at least a second apart, so no one-second window can ever hold more
// than `perSecond` arrivals, whatever the latency or jitter. The cost is throughput: perSecond per
// (1 s + latency) rather than perSecond per second.

export type RateLimited = <T>(call: () => Promise<T>) => Promise<T>;

const WINDOW_MS = 1000;

// One limiter per rate in this process, shared by every run of every health job: consecutive or overlapping
// runs in one process together stay under the cap (runs in other processes are kept apart by the job lock).
const limiters = new Map<number, RateLimited>();

// Node's timers count from the event loop's cached time, so one can fire a little before its delay has
// really passed: re-check against the monotonic clock the simulator (and our reasoning) uses.
async function waitOutWindow(until: number): Promise<void> {
  for (let left = until - performance.now(); left > 0; left = until - performance.now()) {
    await new Promise((wake) => setTimeout(wake, Math.ceil(left)).unref());
  }
}

function holdSlot(slots: LimitFunction): RateLimited {
  return <T>(call: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      void slots(async () => {
        try {
          resolve(await call());
        } catch (err) {
          reject(err);
        }
        // The caller has its answer already; only the slot waits out the window.
        await waitOutWindow(performance.now() + WINDOW_MS);
      });
    });
}

/** Runs Graph calls so that at most `perSecond` of them reach Graph within any one-second window. */
export function graphRateLimit(perSecond: number): RateLimited {
  if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError("perSecond must be a positive integer");
  let limiter = limiters.get(perSecond);
  if (!limiter) {
    limiter = holdSlot(pLimit(perSecond));
    limiters.set(perSecond, limiter);
  }
  return limiter;
}
