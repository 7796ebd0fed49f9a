import { setTimeout as sleep } from "node:timers/promises";

// The shared limiter books slots apart, but a send leaves when this process gets to it: after an event-loop
// stall, sends whose slots have passed would all leave at once. This per-process window is the last check
// before Graph: never more than `limit` sends of one number within any 1,000 ms from this process. It only
// ever holds a send back (a few ms, in a burst); pacing across instances stays the shared limiter's job.
const WINDOW_MS = 1_000;
const recent = new Map<string, number[]>();

/** Resolves when one more send of this number keeps this process within `limit` sends per second, and counts it. */
export async function holdSendWindow(connectionId: string, limit: number): Promise<void> {
  for (;;) {
    const now = performance.now();
    const times = recent.get(connectionId) ?? [];
    while (times.length > 0 && times[0]! <= now - WINDOW_MS) times.shift();
    if (times.length < limit) {
      times.push(now);
      recent.set(connectionId, times);
      return;
    }
    await sleep(times[0]! + WINDOW_MS - now + 1);
  }
}
