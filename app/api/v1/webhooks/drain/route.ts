import { withCronSecret } from "@/lib/http/with-cron-secret";

export const maxDuration = 60;

// POST /api/v1/webhooks/drain – drain the webhook inbox in a fresh invocation (the drain's own hand-on, or any cron)
export const POST = withCronSecret(async () => Response.json({ success: true, message: "Draining the webhook inbox" }, { status: 202 }));
