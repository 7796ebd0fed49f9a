import { randomBytes } from "node:crypto";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { startSession } from "@/lib/auth/start-session";
import { createOwner } from "@/lib/users/create-owner";
import { createWorkspace } from "@/lib/workspaces/create-workspace";

// Signed-in owners for route tests: a fresh workspace and owner, a real session cookie, and Requests
// that carry it. Mutations get this site's own Origin unless the test says otherwise.

export const APP_ORIGIN = "http://localhost:3000";

export type TestOwner = { userId: string; workspaceId: string; cookie: string };

export async function createTestOwner(label = "shop"): Promise<TestOwner> {
  const suffix = randomBytes(5).toString("hex");
  const workspace = await createWorkspace({ name: `${label} ${suffix}`, slug: `${label}-${suffix}` });
  const user = await createOwner({ workspaceId: workspace.id, email: `${label}-${suffix}@example.test` });
  const token = await startSession({ userId: user.id, workspaceId: workspace.id });
  return { userId: user.id, workspaceId: workspace.id, cookie: `${SESSION_COOKIE}=${token}` };
}

export type OwnerRequestOptions = {
  body?: unknown;
  /** The Origin header: this site's by default on mutations; null sends none. */
  origin?: string | null;
};

export function ownerRequest(owner: TestOwner | null, method: string, path: string, options: OwnerRequestOptions = {}): Request {
  const headers = new Headers();
  if (owner) headers.set("cookie", owner.cookie);
  const origin = options.origin === undefined ? (method === "GET" ? null : APP_ORIGIN) : options.origin;
  if (origin) headers.set("origin", origin);
  let body: string | undefined;
  if (options.body !== undefined) {
    headers.set("content-type", "application/json");
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  }
  return new Request(`${APP_ORIGIN}${path}`, { method, headers, body });
}

/** The second argument Next passes to a route handler. */
export const routeContext = <P>(params: P) => ({ params: Promise.resolve(params) });
