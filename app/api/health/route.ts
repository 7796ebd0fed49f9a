import { checkReadiness } from "@/lib/health/check-readiness";

export const dynamic = "force-dynamic";

// GET /api/health – liveness, plus database and lock-store readiness (503 names the part that is down)
export async function GET(): Promise<Response> {
  const readiness = await checkReadiness();
  return Response.json(
    { status: readiness.ok ? "ok" : "degraded", database: readiness.database, lockStore: readiness.lockStore },
    { status: readiness.ok ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
