import { checkReadiness } from "@/lib/health/check-readiness";
import { withRequestId } from "@/lib/http/request-id";

export const dynamic = "force-dynamic";

// GET /api/health – liveness, database and lock-store readiness (503 names the part that is down), and
// the webhook inbox's and the outbox's lag. A lagging queue answers "degraded" with 200: taking the
// instance out of rotation would stop it receiving Meta's deliveries without helping it drain.
export const GET = withRequestId(async () => {
  const { ready, degraded, database, lockStore, inbox, outbox } = await checkReadiness();
  return Response.json(
    { status: degraded ? "degraded" : "ok", database, lockStore, inbox, outbox },
    { status: ready ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
});
