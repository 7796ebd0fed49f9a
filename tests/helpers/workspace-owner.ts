import { randomBytes } from "node:crypto";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { startSession } from "@/lib/auth/start-session";
import { createOwner } from "@/lib/users/create-owner";
import type { TestOwner } from "@/tests/helpers/owner-session";

/** A signed-in owner (or platform admin) of an existing workspace — e.g. the one connectTestNumber made. */
export async function ownerOf(workspaceId: string, options: { isAdmin?: boolean } = {}): Promise<TestOwner & { email: string }> {
  const email = `owner-${randomBytes(5).toString("hex")}@example.test`;
  const user = await createOwner({ workspaceId, email, isAdmin: options.isAdmin });
  const token = await startSession({ userId: user.id, workspaceId });
  return { userId: user.id, workspaceId, email, cookie: `${SESSION_COOKIE}=${token}` };
}
