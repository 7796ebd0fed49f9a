export const dynamic = "force-dynamic";

// GET /api/ping – liveness only, no I/O (load balancers; the framework floor in bench/ingest)
export function GET(): Response {
  return Response.json({ ok: true });
}
