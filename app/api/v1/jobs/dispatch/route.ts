import { withCronSecret } from "@/lib/http/with-cron-secret";
import { dispatchDueJobs } from "@/lib/jobs/dispatch-due-jobs";

export const maxDuration = 300;

// GET|POST /api/v1/jobs/dispatch – run every job whose scheduled slot (in its own time zone) is due, each slot once
const dispatch = withCronSecret(async () => {
  const dispatched = await dispatchDueJobs();
  return Response.json({ success: true, message: `${dispatched.length} job(s) due`, data: dispatched });
});

export const GET = dispatch;
export const POST = dispatch;
