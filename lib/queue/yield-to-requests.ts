import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

// A drain shares its process with the requests it serves; answering them comes first. Between two
// batches the drain steps aside for a moment and looks at how busy the event loop was meanwhile: if
// requests kept it (nearly) full, it waits longer — but never more than MAX_WAIT_MS in a row, so a
// process that stays overloaded still drains, slower, instead of never.
const LOOK_MS = 5;
const BUSY = 0.9;
const MAX_WAIT_MS = 500;

/** Waits while this process is busy answering requests (at most MAX_WAIT_MS); at once when it is not. */
export async function yieldToRequests(): Promise<void> {
  for (let waited = 0; waited < MAX_WAIT_MS; waited += LOOK_MS) {
    const before = performance.eventLoopUtilization();
    await sleep(LOOK_MS);
    if (performance.eventLoopUtilization(before).utilization < BUSY) return;
  }
}
