import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as me } from "@/app/api/v1/auth/me/route";
import { POST as signIn } from "@/app/api/v1/auth/sign-in/route";
import { POST as signOut } from "@/app/api/v1/auth/sign-out/route";
import { POST as signUp } from "@/app/api/v1/auth/sign-up/route";
import { APP_ORIGIN as ORIGIN, routeContext } from "@/tests/helpers/owner-session";

const PASSWORD = "correct horse battery";
const newEmail = () => `user-${randomBytes(5).toString("hex")}@example.com`;

function post(path: string, body: unknown, headers: Record<string, string> = { origin: ORIGIN }): Request {
  return new Request(`${ORIGIN}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });
}

/** The cookie a browser would send back: name=value from Set-Cookie. */
const cookieFrom = (res: Response) => res.headers.get("set-cookie")?.split(";")[0] ?? "";
const meWith = (cookie: string) => me(new Request(`${ORIGIN}/api/v1/auth/me`, { headers: { cookie } }), routeContext({}));

describe("auth routes", () => {
  it("sign-up creates a workspace and its owner, and its cookie opens /me", async () => {
    const email = newEmail();
    const res = await signUp(post("/api/v1/auth/sign-up", { email, password: PASSWORD, workspaceName: "Falafel Palace", name: "Dana" }));
    expect(res.status).toBe(201);
    expect(res.headers.get("set-cookie")).toMatch(/^whatrack_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+$/);
    const who = await meWith(cookieFrom(res));
    expect(who.status).toBe(200);
    expect((await who.json()).data).toMatchObject({ email, role: "OWNER", isAdmin: false, workspaceName: "Falafel Palace" });
  });

  it("sign-up answers the one error shape: 422 for a short password, 409 for a taken email", async () => {
    const short = await signUp(post("/api/v1/auth/sign-up", { email: newEmail(), password: "short", workspaceName: "Shop" }));
    expect(short.status).toBe(422);
    expect(await short.json()).toEqual({ error: { code: "unprocessable_entity", message: expect.stringContaining("password") } });
    const email = newEmail();
    expect((await signUp(post("/api/v1/auth/sign-up", { email, password: PASSWORD, workspaceName: "Shop" }))).status).toBe(201);
    const taken = await signUp(post("/api/v1/auth/sign-up", { email: email.toUpperCase(), password: PASSWORD, workspaceName: "Shop" }));
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.code).toBe("conflict");
  });

  it("sign-in with the right password sets a working cookie; a wrong one is 401 without a cookie", async () => {
    const email = newEmail();
    await signUp(post("/api/v1/auth/sign-up", { email, password: PASSWORD, workspaceName: "Shop" }));
    const wrong = await signIn(post("/api/v1/auth/sign-in", { email, password: "not the password" }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.json()).toEqual({ error: { code: "unauthorized", message: "Wrong email or password" } });
    const unknown = await signIn(post("/api/v1/auth/sign-in", { email: newEmail(), password: PASSWORD }));
    expect(unknown.status).toBe(401);

    const right = await signIn(post("/api/v1/auth/sign-in", { email, password: PASSWORD }));
    expect(right.status).toBe(200);
    expect((await (await meWith(cookieFrom(right))).json()).data.email).toBe(email);
  });

  it("sign-in is rate-limited per email: 429 after 10 attempts, even with the right password", async () => {
    const email = newEmail();
    await signUp(post("/api/v1/auth/sign-up", { email, password: PASSWORD, workspaceName: "Shop" }));
    for (let i = 0; i < 10; i++) {
      expect((await signIn(post("/api/v1/auth/sign-in", { email, password: `wrong ${i}` }))).status).toBe(401);
    }
    const limited = await signIn(post("/api/v1/auth/sign-in", { email, password: PASSWORD }));
    expect(limited.status).toBe(429);
    expect((await limited.json()).error.code).toBe("rate_limited");
  });

  it("refuses cross-site form posts (CSRF) with 403", async () => {
    const res = await signUp(post("/api/v1/auth/sign-up", { email: newEmail(), password: PASSWORD, workspaceName: "Shop" }, { origin: "https://evil.example" }));
    expect(res.status).toBe(403);
    expect((await signIn(post("/api/v1/auth/sign-in", { email: newEmail(), password: PASSWORD }, { origin: "https://evil.example" }))).status).toBe(403);
  });

  it("/me without a cookie, with a forged one, or after sign-out's cleared cookie is 401", async () => {
    expect((await meWith("")).status).toBe(401);
    expect((await meWith("whatrack_session=eyJhbGciOiJub25lIn0.e30.")).status).toBe(401);
    const out = await signOut(post("/api/v1/auth/sign-out", {}));
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect((await meWith(cookieFrom(out))).status).toBe(401);
  });
});
