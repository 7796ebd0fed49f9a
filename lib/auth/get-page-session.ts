import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { resolveSession, type Session } from "@/lib/auth/resolve-session";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { scopedDb, type ScopedDb } from "@/lib/tenancy/scoped-db";

/** For server-component pages: the signed-in session and its workspace-scoped client, or a redirect to sign in. */
export async function getPageSession(): Promise<{ session: Session; db: ScopedDb }> {
  const session = await resolveSession((await cookies()).get(SESSION_COOKIE)?.value);
  if (!session) redirect("/sign-in");
  return { session, db: scopedDb(session.workspaceId) };
}

/** The session if there is one, without redirecting (landing and sign-in pages). */
export async function findPageSession(): Promise<Session | null> {
  return resolveSession((await cookies()).get(SESSION_COOKIE)?.value);
}
