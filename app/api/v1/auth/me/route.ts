import { withSession } from "@/lib/http/with-session";

// GET /api/v1/auth/me – who is signed in, and in which workspace
export const GET = withSession(async ({ session }) => Response.json({ data: session }));
