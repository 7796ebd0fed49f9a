import { randomBytes, randomInt } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/auth/me/route";
import { POST as changePassword } from "@/app/api/v1/auth/password/route";
import { DELETE as signOutEverywhere, GET as listSessions } from "@/app/api/v1/auth/sessions/route";
import { POST as signInRoute } from "@/app/api/v1/auth/sign-in/route";
import { POST as signOut } from "@/app/api/v1/auth/sign-out/route";
import { POST as signUpRoute } from "@/app/api/v1/auth/sign-up/route";
import { readSessionToken } from "@/lib/auth/session-token";
import { prisma } from "@/lib/db/client";
import { runWithPeerAddress } from "@/lib/http/peer-address";
import { APP_ORIGIN as ORIGIN, routeContext } from "@/tests/helpers/owner-session";

// The route handlers called directly, each request "from" a client address (as lib/http/peer-address.ts
// records it under next start). Over real HTTP, with addresses a client cannot forge: tests/e2e/auth-limits.test.ts.

const PASSWORD = "correct horse battery";
const newEmail = () => `user-${randomBytes(5).toString("hex")}@example.com`;
// A fresh address per test: limits are per address, and runs on a shared Redis overlap.
const newAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

function post(path: string, body: unknown, headers: Record<string, string> = { origin: ORIGIN }): Request {
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

const signUp = (request: Request, from: string) => runWithPeerAddress(from, () => signUpRoute(request));
const signIn = (request: Request, from: string) => runWithPeerAddress(from, () => signInRoute(request));

/** The cookie a browser would send back: name=value from Set-Cookie. */
const cookieFrom = (res: Response, name = "whatrack_session") => res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`))?.split(";")[0] ?? "";
const meWith = (cookie: string) => me(new Request(`${ORIGIN}/api/v1/auth/me`, { headers: { cookie } }), routeContext({}));
const withCookie = (cookie: string, method: string, path: string, body?: unknown) =>
  new Request(`${ORIGIN}${path}`, { method, headers: { cookie, origin: ORIGIN, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
/** The Session row a cookie names. */
const sessionIdOf = async (cookie: string) => (await readSessionToken(cookie.split("=")[1]))!.sessionId;

/** A new account signed in on two devices: the sign-up's cookie and a second sign-in's. */
async function twoDevices(): Promise<{ email: string; laptop: string; phone: string }> {
  const email = newEmail();
  const laptop = cookieFrom(await signUp(post("/api/v1/auth/sign-up", { email, password: PASSWORD, workspaceName: "Shop" }), newAddress()));
  const phone = cookieFrom(await signIn(post("/api/v1/auth/sign-in", { email, password: PASSWORD }, { origin: ORIGIN, "user-agent": "Mozilla/5.0 (iPhone) Safari/604.1" }), "203.0.113.7"));
  return { email, laptop, phone };
}

async function createAccount(email = newEmail()): Promise<string> {
  const res = await signUp(post("/api/v1/auth/sign-up", { email, password: PASSWORD, workspaceName: "Shop" }), newAddress());
  expect(res.status).toBe(201);
  return email;
}

describe("auth routes", () => {
  it("sign-up creates a workspace and its owner, and its cookie opens /me", async () => {
    const email = newEmail();
    const res = await signUp(post("/api/v1/auth/sign-up", { email, password: PASSWORD, workspaceName: "Falafel Palace", name: "Dana" }), newAddress());
    expect(res.status).toBe(201);
    const [session, device] = res.headers.getSetCookie();
    expect(session).toMatch(/^whatrack_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    expect(device).toMatch(/^whatrack_device=[^;]+; Path=\/api\/v1\/auth\/sign-in; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const who = await meWith(cookieFrom(res));
    expect(who.status).toBe(200);
    expect((await who.json()).data).toMatchObject({ email, role: "OWNER", isAdmin: false, workspaceName: "Falafel Palace" });
  });

  it("sign-up answers the one error shape: 422 for a short or guessable password, 409 for a taken email", async () => {
    const short = await signUp(post("/api/v1/auth/sign-up", { email: newEmail(), password: "short", workspaceName: "Shop" }), newAddress());
    expect(short.status).toBe(422);
    expect(await short.json()).toEqual({ success: false, error: { code: "unprocessable_entity", message: expect.stringContaining("password") } });
    const email = newEmail();
    const common = await signUp(post("/api/v1/auth/sign-up", { email, password: "1234567890", workspaceName: "Shop" }), newAddress());
    expect(common.status).toBe(422);
    expect(await common.json()).toEqual({
      success: false,
      error: { code: "unprocessable_entity", message: "password: too easy to guess. This is a frequently used password. Add more words that are less common." },
    });
    const own = await signUp(post("/api/v1/auth/sign-up", { email, password: "levibakery2024", workspaceName: "Levi Bakery" }), newAddress());
    expect((await own.json()).error.message).toContain("personal or page related data");

    expect((await signUp(post("/api/v1/auth/sign-up", { email, password: PASSWORD, workspaceName: "Shop" }), newAddress())).status).toBe(201);
    const taken = await signUp(post("/api/v1/auth/sign-up", { email: email.toUpperCase(), password: PASSWORD, workspaceName: "Shop" }), newAddress());
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.code).toBe("conflict");
  });

  it("sign-up is limited to 20 attempts an hour per client address, whatever their outcome", async () => {
    const from = newAddress();
    for (let i = 0; i < 20; i++) {
      const res = await signUp(post("/api/v1/auth/sign-up", { email: newEmail(), password: i % 2 ? PASSWORD : "1234567890", workspaceName: "Shop" }), from);
      expect(res.status).toBe(i % 2 ? 201 : 422);
    }
    const limited = await signUp(post("/api/v1/auth/sign-up", { email: newEmail(), password: PASSWORD, workspaceName: "Shop" }), from);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error).toEqual({ code: "rate_limited", message: "Too many sign-ups from your network: try again in an hour" });
    expect((await signUp(post("/api/v1/auth/sign-up", { email: newEmail(), password: PASSWORD, workspaceName: "Shop" }), newAddress())).status).toBe(201);
  }, 60_000);

  it("sign-in with the right password sets working cookies; a wrong one is 401 without a cookie", async () => {
    const email = await createAccount();
    const from = newAddress();
    const wrong = await signIn(post("/api/v1/auth/sign-in", { email, password: "not the password" }), from);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.json()).toEqual({ success: false, error: { code: "unauthorized", message: "Wrong email or password" } });
    const unknown = await signIn(post("/api/v1/auth/sign-in", { email: newEmail(), password: PASSWORD }), from);
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ success: false, error: { code: "unauthorized", message: "Wrong email or password" } });

    const right = await signIn(post("/api/v1/auth/sign-in", { email, password: PASSWORD }), from);
    expect(right.status).toBe(200);
    expect(cookieFrom(right, "whatrack_device")).toMatch(/^whatrack_device=.+/);
    expect((await (await meWith(cookieFrom(right))).json()).data.email).toBe(email);
  });

  it("10 failures lock that account for that address only: the owner elsewhere still signs in", async () => {
    const email = await createAccount();
    const attacker = newAddress();
    for (let i = 0; i < 10; i++) {
      expect((await signIn(post("/api/v1/auth/sign-in", { email, password: `wrong ${i}` }), attacker)).status).toBe(401);
    }
    const limited = await signIn(post("/api/v1/auth/sign-in", { email, password: PASSWORD }), attacker);
    expect(limited.status).toBe(429);
    expect((await limited.json()).error).toEqual({ code: "rate_limited", message: "Too many failed sign-ins to this account from here: try again in 15 minutes" });
    expect((await signIn(post("/api/v1/auth/sign-in", { email, password: PASSWORD }), newAddress())).status).toBe(200);
  }, 60_000);

  it("only failures count: 15 right sign-ins in a row from one address all succeed", async () => {
    const email = await createAccount();
    const from = newAddress();
    for (let i = 0; i < 15; i++) {
      expect((await signIn(post("/api/v1/auth/sign-in", { email, password: PASSWORD }), from)).status).toBe(200);
    }
  }, 60_000);

  it("answers 503 when the client address cannot be told, rather than sharing one bucket", async () => {
    const res = await signInRoute(post("/api/v1/auth/sign-in", { email: newEmail(), password: PASSWORD }));
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe("unavailable");
    expect((await signUpRoute(post("/api/v1/auth/sign-up", { email: newEmail(), password: PASSWORD, workspaceName: "Shop" }))).status).toBe(503);
  });

  it("refuses cross-site form posts (CSRF) with 403", async () => {
    const res = await signUp(post("/api/v1/auth/sign-up", { email: newEmail(), password: PASSWORD, workspaceName: "Shop" }, { origin: "https://evil.example" }), newAddress());
    expect(res.status).toBe(403);
    expect((await signIn(post("/api/v1/auth/sign-in", { email: newEmail(), password: PASSWORD }, { origin: "https://evil.example" }), newAddress())).status).toBe(403);
  });

  it("/me without a cookie, with a forged one, or after sign-out's cleared cookie is 401", async () => {
    expect((await meWith("")).status).toBe(401);
    expect((await meWith("whatrack_session=eyJhbGciOiJub25lIn0.e30.")).status).toBe(401);
    const out = await signOut(post("/api/v1/auth/sign-out", {}));
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await meWith(cookieFrom(out))).status).toBe(401);
  });

  it("sign-out revokes the session on the server: the same cookie, replayed, is 401", async () => {
    const { laptop, phone } = await twoDevices();
    expect((await meWith(laptop)).status).toBe(200);
    const out = await signOut(withCookie(laptop, "POST", "/api/v1/auth/sign-out"));
    expect(out.status).toBe(200);
    expect((await meWith(laptop)).status).toBe(401);
    expect((await meWith(phone)).status).toBe(200); // the other device is not this session
    expect(await prisma.session.findUniqueOrThrow({ where: { id: await sessionIdOf(laptop) } })).toMatchObject({ revokedAt: expect.any(Date) });
  });

  it("lists the user's devices, and signing out everywhere ends all of them", async () => {
    const { laptop, phone } = await twoDevices();
    const listed = (await (await listSessions(withCookie(phone, "GET", "/api/v1/auth/sessions"), routeContext({}))).json()) as { data: Array<Record<string, unknown>> };
    expect(listed.data).toHaveLength(2);
    expect(listed.data.find((s) => s.current)).toMatchObject({ id: await sessionIdOf(phone), userAgent: "Mozilla/5.0 (iPhone) Safari/604.1", ip: "203.0.113.7" });

    const crossSite = new Request(`${ORIGIN}/api/v1/auth/sessions`, { method: "DELETE", headers: { cookie: phone, origin: "https://evil.example" } });
    expect((await signOutEverywhere(crossSite, routeContext({}))).status).toBe(403);
    expect((await meWith(laptop)).status).toBe(200);

    const everywhere = await signOutEverywhere(withCookie(phone, "DELETE", "/api/v1/auth/sessions"), routeContext({}));
    expect(everywhere.status).toBe(200);
    expect((await everywhere.json()).data).toEqual({ ended: 2 });
    expect(everywhere.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await meWith(laptop)).status).toBe(401);
    expect((await meWith(phone)).status).toBe(401);
  });

  it("a password change checks the current password, ends the other sessions and keeps this one", async () => {
    const { email, laptop, phone } = await twoDevices();
    const change = (body: unknown) => changePassword(withCookie(laptop, "POST", "/api/v1/auth/password", body), routeContext({}));
    const wrong = await change({ currentPassword: "not the password", newPassword: "a brand new password" });
    expect(wrong.status).toBe(403);
    expect((await wrong.json()).error.code).toBe("forbidden");
    expect((await change({ currentPassword: PASSWORD, newPassword: "short" })).status).toBe(422);
    expect((await meWith(phone)).status).toBe(200);

    const changed = await change({ currentPassword: PASSWORD, newPassword: "a brand new password" });
    expect(changed.status).toBe(200);
    expect((await changed.json()).data).toEqual({ endedSessions: 1 });
    expect((await meWith(phone)).status).toBe(401);
    expect((await meWith(laptop)).status).toBe(200);
    expect((await signIn(post("/api/v1/auth/sign-in", { email, password: PASSWORD }), newAddress())).status).toBe(401);
    expect((await signIn(post("/api/v1/auth/sign-in", { email, password: "a brand new password" }), newAddress())).status).toBe(200);
  });

  it("refuses a genuine token whose session row is expired, revoked or missing, and one from before sessions had rows", async () => {
    const { laptop, phone } = await twoDevices();
    await prisma.session.update({ where: { id: await sessionIdOf(laptop) }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await meWith(laptop)).status).toBe(401);
    await prisma.session.delete({ where: { id: await sessionIdOf(phone) } });
    expect((await meWith(phone)).status).toBe(401);

    // Signed with the right key and claims, but without a session id (the format before this change).
    const membership = await prisma.membership.findFirstOrThrow();
    const legacy = await new SignJWT({ ws: membership.workspaceId })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("whatrack")
      .setAudience("whatrack:session")
      .setSubject(membership.userId)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(process.env.SESSION_SECRET));
    expect((await meWith(`whatrack_session=${legacy}`)).status).toBe(401);
  });

  it("refreshes a session's lastSeenAt at most every few minutes", async () => {
    const { laptop } = await twoDevices();
    const id = await sessionIdOf(laptop);
    const recent = (await prisma.session.findUniqueOrThrow({ where: { id } })).lastSeenAt;
    await meWith(laptop);
    expect((await prisma.session.findUniqueOrThrow({ where: { id } })).lastSeenAt).toEqual(recent);
    const stale = new Date(Date.now() - 10 * 60 * 1000);
    await prisma.session.update({ where: { id }, data: { lastSeenAt: stale } });
    await meWith(laptop);
    expect((await prisma.session.findUniqueOrThrow({ where: { id } })).lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });
});
