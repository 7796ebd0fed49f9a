// Child process for the kill -9 test: starts a run of "kill-test" that saves a cursor, says so on
// stdout, then hangs until the parent kills it.
import { runJob } from "@/lib/jobs/run-job";

await runJob(
  {
    name: "kill-test",
    description: "kill -9 in the middle of a run",
    schedule: "0 0 1 1 *",
    timeZone: "UTC",
    budgetSeconds: 60,
    load: async () => async (ctx) => {
      await ctx.saveCursor({ afterId: "item-5" });
      console.log("CURSOR_SAVED");
      await new Promise(() => {});
      return { message: "never", summary: {} };
    },
  },
  { kind: "manual", by: "kill-test" },
);
