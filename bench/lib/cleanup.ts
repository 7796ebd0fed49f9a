// Every bench registers what it starts (process groups, simulator, database) here, and runBench()
// undoes it all in reverse order: on success, on a thrown error, on Ctrl-C and on its own time limit.
// Process groups are also SIGKILLed synchronously on exit as a last resort.

type Task = { name: string; fn: () => Promise<void> | void };

const tasks: Task[] = [];
const liveGroups = new Set<number>();
let cleaning: Promise<void> | null = null;

/** Registers an undo step; returns a function that runs it now (once) and unregisters it. */
export function onCleanup(name: string, fn: () => Promise<void> | void): () => Promise<void> {
  const task: Task = { name, fn };
  tasks.push(task);
  return async () => {
    const index = tasks.indexOf(task);
    if (index === -1) return;
    tasks.splice(index, 1);
    await fn();
  };
}

/** A process group that must not outlive the bench, whatever happens. */
export function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
}

export function untrackGroup(pgid: number): void {
  liveGroups.delete(pgid);
}

function killGroupsNow(): void {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
}

function runCleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (tasks.length > 0) {
      const task = tasks.pop()!;
      try {
        await task.fn();
      } catch (err) {
        console.error(`cleanup "${task.name}" failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    killGroupsNow();
  })();
  return cleaning;
}

/** Runs a bench's main function with cleanup guaranteed and a hard time limit. */
export async function runBench(main: () => Promise<void>, options: { timeoutMs: number }): Promise<void> {
  process.on("exit", killGroupsNow);
  const stop = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping everything this bench started…`);
    void runCleanup().finally(() => process.exit(130));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  const limit = setTimeout(() => {
    console.error(`\nTime limit of ${Math.round(options.timeoutMs / 1000)} s reached: stopping.`);
    void runCleanup().finally(() => process.exit(2));
  }, options.timeoutMs);
  limit.unref();

  try {
    await main();
  } catch (err) {
    console.error(`\nBench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exitCode = 1;
  } finally {
    await runCleanup();
    clearTimeout(limit);
  }
}
