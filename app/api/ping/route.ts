import { readBody } from "@/lib/http/read-body";
import { AppError } from "@/lib/http/app-error";
import { withRequestId } from "@/lib/http/request-id";
import { fail } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

// GET /api/ping – liveness only, no I/O (load balancers; the framework floor in bench/ingest)
export const GET = withRequestId(() => Response.json({ ok: true }));

// POST /api/ping – reads and discards a body of up to 64 KiB: the framework floor for a POST with a body (bench/ingest)
export const POST = withRequestId(async (request) => {
  try {
    const body = await readBody(request, { maxBytes: 64 * 1024, timeoutMs: 10_000 });
    return Response.json({ ok: true, bytes: body.byteLength });
  } catch (err) {
    if (err instanceof AppError) return fail(err.code, err.message);
    throw err;
  }
});
