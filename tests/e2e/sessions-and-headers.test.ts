import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextServer, type NextServer } from "@/tests/helpers/next-server";

// Sessions end on the server (sign-out, sign out everywhere, a password change), and every kind of
// response carries the security headers and a request id: over real HTTP against `next start`.
const onServer = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);

describe.skipIf(!onServer)("sessions and security headers on next start", () => {
  let server: NextServer;
  const port = 4100 + (process.pid % 90); // 4190 and 3659 are ports Next refuses (browsers block them)
  const run = randomBytes(4).toString("hex");
  let accounts = 0;

  beforeAll(async () => {
    server = await startNextServer({
      port,
      env: {
        DATABASE_URL: process.env.DATABASE_URL,
        REDIS_URL: process.env.TEST_REDIS_URL,
        WHATSAPP_APP_SECRET: process.env.WHATSAPP_APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: process.env.WHATSAPP_VERIFY_TOKEN,
        SESSION_SECRET: process.env.SESSION_SECRET,
        TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY,
        LOG_LEVEL: "warn",
      },
    });
  });
  afterAll(async () => server?.stop());

  type CallOptions = { cookie?: string; body?: unknown; headers?: Record<string, string> };

  /** A browser-like call: this site's Origin on mutations, redirects not followed. */
  function call(method: string, path: string, options: CallOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(method === "GET" ? {} : { origin: server.url }), ...options.headers };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    return fetch(`${server.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body), redirect: "manual" });
  }

  const cookieOf = (res: Response) => res.headers.get("set-cookie")?.split(";")[0] ?? "";
  const me = (cookie: string) => call("GET", "/api/v1/auth/me", { cookie }).then((r) => r.status);

  /** A new account, signed up on one "device"; returns its credentials and that device's cookie. */
  async function newAccount(): Promise<{ email: string; password: string; cookie: string }> {
    const email = `owner-${run}-${++accounts}@example.test`;
    const password = `correct horse ${run}`;
    const res = await call("POST", "/api/v1/auth/sign-up", { body: { email, password, workspaceName: `Shop ${run}` } });
    expect(res.status).toBe(201);
    return { email, password, cookie: cookieOf(res) };
  }

  /** Signing in on another device: a second, independent session. */
  async function signIn(email: string, password: string): Promise<string> {
    const res = await call("POST", "/api/v1/auth/sign-in", { body: { email, password } });
    expect(res.status).toBe(200);
    return cookieOf(res);
  }

  describe("sessions", () => {
    it("sign-out ends the session on the server: the old cookie is refused afterwards", async () => {
      const { cookie } = await newAccount();
      expect(await me(cookie)).toBe(200);
      const out = await call("POST", "/api/v1/auth/sign-out", { cookie });
      expect(out.status).toBe(200);
      expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
      // Someone who kept the cookie (a copied header, a stolen backup) replays it.
      expect(await me(cookie)).toBe(401);
      const page = await call("GET", "/conversations", { cookie });
      expect(page.status).toBe(307);
      expect(page.headers.get("location")).toMatch(/^\/sign-in/);
    });

    it("sign out everywhere ends every device's session, and only from this site", async () => {
      const { email, password, cookie: laptop } = await newAccount();
      const phone = await signIn(email, password);
      const listed = await call("GET", "/api/v1/auth/sessions", { cookie: laptop });
      expect(listed.status).toBe(200);
      const sessions = ((await listed.json()) as { data: Array<{ current: boolean; userAgent: string | null }> }).data;
      expect(sessions).toHaveLength(2);
      expect(sessions.filter((s) => s.current)).toHaveLength(1);

      expect((await call("DELETE", "/api/v1/auth/sessions", { cookie: laptop, headers: { origin: "https://evil.example" } })).status).toBe(403);
      expect(await me(phone)).toBe(200);

      const everywhere = await call("DELETE", "/api/v1/auth/sessions", { cookie: laptop });
      expect(everywhere.status).toBe(200);
      expect(everywhere.headers.get("set-cookie")).toContain("Max-Age=0");
      expect(await me(phone)).toBe(401);
      expect(await me(laptop)).toBe(401);
    });

    it("a password change ends the other sessions, keeps this one, and only the new password signs in", async () => {
      const { email, password, cookie: laptop } = await newAccount();
      const phone = await signIn(email, password);
      const newPassword = `battery staple ${run}`;

      const wrong = await call("POST", "/api/v1/auth/password", { cookie: laptop, body: { currentPassword: "not the password", newPassword } });
      expect(wrong.status).toBe(403);
      expect(await me(phone)).toBe(200);
      expect((await call("POST", "/api/v1/auth/password", { cookie: laptop, body: { currentPassword: password, newPassword: "short" } })).status).toBe(422);

      const changed = await call("POST", "/api/v1/auth/password", { cookie: laptop, body: { currentPassword: password, newPassword } });
      expect(changed.status).toBe(200);
      expect(await me(phone)).toBe(401);
      expect(await me(laptop)).toBe(200);
      expect((await call("POST", "/api/v1/auth/sign-in", { body: { email, password } })).status).toBe(401);
      expect(await me(await signIn(email, newPassword))).toBe(200);
    });
  });

  describe("headers", () => {
    const STATIC = {
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "referrer-policy": "same-origin",
    };

    function expectSecurityHeaders(res: Response, what: string): void {
      for (const [name, value] of Object.entries(STATIC)) expect(res.headers.get(name), `${name} on ${what}`).toBe(value);
      expect(res.headers.get("permissions-policy"), what).toContain("camera=()");
      expect(res.headers.get("content-security-policy"), what).toContain("frame-ancestors 'none'");
      expect(res.headers.get("x-request-id"), what).toMatch(/^[\w.:-]{8,}$/);
      expect(res.headers.get("strict-transport-security"), `no HSTS over plain HTTP on ${what}`).toBeNull();
    }

    it("pages: a nonce-based CSP, a fresh nonce per response", async () => {
      const first = await call("GET", "/sign-in");
      expect(first.status).toBe(200);
      expectSecurityHeaders(first, "GET /sign-in");
      const csp = first.headers.get("content-security-policy")!;
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain("unsafe-eval");
      const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
      const html = await first.text();
      expect(html).toContain(`nonce="${nonce}"`);
      const second = await call("GET", "/sign-in");
      expect(second.headers.get("content-security-policy")).not.toBe(csp);

      // The page's scripts and styles are files under /_next/static: nosniff there matters most.
      const asset = /(?:src|href)="(\/_next\/static\/[^"]+\.(?:js|css))"/.exec(html)?.[1];
      expect(asset).toBeTruthy();
      const file = await call("GET", asset!);
      expect(file.status).toBe(200);
      expect(file.headers.get("x-content-type-options")).toBe("nosniff");
    });

    it("API routes, the webhook route, ping and health", async () => {
      const signature = `sha256=${"0".repeat(64)}`;
      const responses: Array<[string, Response]> = [
        ["GET /api/v1/auth/me (401)", await call("GET", "/api/v1/auth/me")],
        ["POST /api/v1/auth/sign-in (422)", await call("POST", "/api/v1/auth/sign-in", { body: {} })],
        ["POST /api/v1/webhooks/whatsapp (401)", await call("POST", "/api/v1/webhooks/whatsapp", { body: { object: "x" }, headers: { "x-hub-signature-256": signature } })],
        ["GET /api/v1/webhooks/whatsapp (403)", await call("GET", "/api/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")],
        ["GET /api/v1/jobs/dispatch (401)", await call("GET", "/api/v1/jobs/dispatch")],
        ["GET /api/ping", await call("GET", "/api/ping")],
        ["POST /api/ping", await call("POST", "/api/ping", { body: { hello: "world" } })],
        ["GET /api/health", await call("GET", "/api/health")],
        ["GET /api/v1/openapi.json", await call("GET", "/api/v1/openapi.json")],
      ];
      for (const [what, res] of responses) {
        expectSecurityHeaders(res, what);
        // A JSON answer opened as a document may run nothing and load nothing.
        expect(res.headers.get("content-security-policy"), what).toContain("default-src 'none'");
      }
      expect(responses.map(([, r]) => r.status)).toEqual([401, 422, 401, 403, 401, 200, 200, 200, 200]);
    });

    it("HSTS only when the request reached the proxy in front of us over HTTPS", async () => {
      for (const path of ["/sign-in", "/api/v1/auth/me", "/api/ping"]) {
        const res = await call("GET", path, { headers: { "x-forwarded-proto": "https" } });
        expect(res.headers.get("strict-transport-security"), path).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
      }
      const page = await call("GET", "/sign-in", { headers: { "x-forwarded-proto": "https" } });
      expect(page.headers.get("content-security-policy")).toContain("upgrade-insecure-requests");
      expect((await call("GET", "/sign-in")).headers.get("content-security-policy")).not.toContain("upgrade-insecure-requests");
    });

    it("request ids: a well-formed incoming one is kept, anything else replaced by a fresh one", async () => {
      const mine = `lb-${run}-0001`;
      for (const [method, path] of [
        ["GET", "/sign-in"],
        ["GET", "/api/v1/auth/me"],
        ["POST", "/api/v1/webhooks/whatsapp"],
        ["GET", "/api/ping"],
      ] as const) {
        const kept = await call(method, path, { headers: { "x-request-id": mine } });
        expect(kept.headers.get("x-request-id"), path).toBe(mine);
        const replaced = await call(method, path, { headers: { "x-request-id": `<script>${"x".repeat(300)}` } });
        expect(replaced.headers.get("x-request-id"), path).toMatch(/^[0-9a-f-]{36}$/);
        const minted = [await call(method, path), await call(method, path)].map((r) => r.headers.get("x-request-id"));
        expect(minted[0]).not.toBe(minted[1]);
      }
    });
  });

  describe("the proxy's optimistic redirect", () => {
    it("sends a signed-out visitor of a dashboard page to sign-in, keeping where they were going", async () => {
      const res = await call("GET", "/conversations?q=dana");
      expect(res.status).toBe(307);
      expect(res.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent("/conversations?q=dana")}`);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("x-request-id")).toBeTruthy();
      expect((await call("GET", "/")).headers.get("location")).toBe("/sign-in");
      for (const open of ["/sign-in", "/sign-up"]) expect((await call("GET", open)).status, open).toBe(200);
    });

    it("only checks that a cookie is there: a forged one still meets the page's own check", async () => {
      const res = await call("GET", "/conversations", { cookie: "whatrack_session=forged.token.value" });
      expect(res.status).toBe(307);
      expect(res.headers.get("location")).toBe("/sign-in");
    });
  });
});
