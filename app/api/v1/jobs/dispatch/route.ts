import { fail, ok } from "@/lib/http/respond";
import { withCronSecret } from "@/lib/http/with-cron-secret";
import { dispatchDueJobs } from "@/lib/jobs/dispatch-due-jobs";

export const maxDuration = 300;

// GET|POST /api/v1/jobs/dispatch – run every job whose scheduled slot (in its own time zone) is due, each slot once
const dispatch = withCronSecret(async () => {
  const outcome = await dispatchDueJobs();
  if (outcome.status === "busy") return fail("rate_limited", "Dispatcher already running");
  return ok({ message: `${outcome.dispatched.length} job(s) due`, data: outcome.dispatched });
});

export const GET = dispatch;
export const POST = dispatch;
