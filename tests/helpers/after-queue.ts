// Stands in for next/server's `after()` in route tests: callbacks wait here until the test runs them.

type Task = () => unknown;
const queue: Task[] = [];

export function queueAfter(task: Task | Promise<unknown>): void {
  queue.push(typeof task === "function" ? task : () => task);
}

/** Runs every queued callback (and any they queue), concurrently, as Next would after responses. */
export async function runAfterCallbacks(): Promise<number> {
  let ran = 0;
  while (queue.length > 0) {
    const batch = queue.splice(0, queue.length);
    ran += batch.length;
    await Promise.all(batch.map((task) => task()));
  }
  return ran;
}

/** Drops the queued callbacks unrun: a test that drives the work itself, step by step. */
export function discardAfterCallbacks(): number {
  return queue.splice(0, queue.length).length;
}
