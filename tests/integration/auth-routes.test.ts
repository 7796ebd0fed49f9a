import { randomBytes, randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/auth/me/route";
import { POST as signInRoute } from "@/app/api/v1/auth/sign-in/route";
import { POST as signOut } from "@/app/api/v1/auth/sign-out/route";
import { POST as signUpRoute } from "@/app/api/v1/auth/sign-up/route";
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
    expect(await short.json()).toEqual({ error: { code: "unprocessable_entity", message: expect.stringContaining("password") } });
    const email = newEmail();
    const common = await signUp(post("/api/v1/auth/sign-up", { email, password: "1234567890", workspaceName: "Shop" }), newAddress());
    expect(common.status).toBe(422);
    expect(await common.json()).toEqual({
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
    expect(await wrong.json()).toEqual({ error: { code: "unauthorized", message: "Wrong email or password" } });
    const unknown = await signIn(post("/api/v1/auth/sign-in", { email: newEmail(), password: PASSWORD }), from);
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({ error: { code: "unauthorized", message: "Wrong email or password" } });

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
});
