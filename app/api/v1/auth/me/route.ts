import { withSession } from "@/lib/http/with-session";
import { ok } from "@/lib/http/respond";

// GET /api/v1/auth/me – who is signed in, and in which workspace
export const GET = withSession(async ({ session }) => ok({ data: session }));
