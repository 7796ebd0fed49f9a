import { randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { createServer, type AddressInfo } from "node:net";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextServer, type NextServer } from "@/tests/helpers/next-server";

// Sign-in and sign-up limits over real HTTP against `next start`, on the real PostgreSQL and Redis.
// Each test client connects from its own loopback address (127.0.0.0/8 all reach a server on
// 127.0.0.1), so the server sees distinct TCP peers, as it would see distinct people; what a client
// writes into X-Forwarded-For must change nothing unless TRUSTED_PROXY_HOPS says a proxy wrote it.

const onServer = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-gpu", "--disable-dev-shm-usage"];
const PASSWORD = "correct horse battery";
const FROM_ADDRESS = "Too many failed sign-ins from your network: try again in 15 minutes";
const TO_ACCOUNT = "Too many failed sign-ins to this account from here: try again in 15 minutes";
const NEW_BROWSERS = "Too many failed sign-ins to this account: sign in from a browser you have signed in with before, or try again within the hour";

type Answer = { status: number; body: { error?: { code: string; message: string } }; cookies: string[] };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const newEmail = () => `e2e-${randomBytes(5).toString("hex")}@example.test`;

describe.skipIf(!onServer)("sign-in and sign-up limits on next start", () => {
  let server: NextServer;
  let proxied: NextServer;
  // The servers inherit this file's database, Redis and secrets. Keys of their own: a limit's window
  // outlives the run, and runs share the Redis.
  const env = () => ({ REDIS_KEY_PREFIX: `e2e-auth-${randomBytes(4).toString("hex")}`, LOG_LEVEL: "warn" });

  beforeAll(async () => {
    server = await startNextServer({ port: await freePort(), env: env() });
    // The same app behind one proxy of yours: the test plays the proxy, appending what it "saw".
    proxied = await startNextServer({ port: await freePort(), env: { ...env(), TRUSTED_PROXY_HOPS: "1" } });
  });
  afterAll(async () => {
    await server?.stop();
    await proxied?.stop();
  });

  /** A POST from `from` (a loopback address the socket is bound to), with any headers the client chooses. */
  function post(target: NextServer, path: string, body: unknown, from: string, headers: Record<string, string> = {}): Promise<Answer> {
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        `${target.url}${path}`,
        { method: "POST", localAddress: from, headers: { "content-type": "application/json", origin: target.url, ...headers }, agent: false },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => {
            const cookies = [res.headers["set-cookie"] ?? []].flat();
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {}, cookies });
          });
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  const signIn = (email: string, password: string, from: string, headers?: Record<string, string>, target = server) =>
    post(target, "/api/v1/auth/sign-in", { email, password }, from, headers);

  async function createAccount(from: string, target = server): Promise<{ email: string; device: string }> {
    const email = newEmail();
    const res = await post(target, "/api/v1/auth/sign-up", { email, password: PASSWORD, workspaceName: "Limits shop" }, from);
    expect(res.status).toBe(201);
    return { email, device: res.cookies.find((c) => c.startsWith("whatrack_device="))?.split(";")[0] ?? "" };
  }

  it("a client-written X-Forwarded-For buys no fresh attempts: 50 failures from one address, then 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      // A new email and a new "address" each time: before, neither limit ever filled.
      const res = await signIn(newEmail(), PASSWORD, "127.0.0.2", { "x-forwarded-for": `203.0.113.${i}`, "x-real-ip": `198.51.100.${i}` });
      statuses.push(res.status);
      if (res.status === 429) expect(res.body.error).toEqual({ code: "rate_limited", message: FROM_ADDRESS });
    }
    expect(statuses.slice(0, 50)).toEqual(Array(50).fill(401));
    expect(statuses.slice(50)).toEqual(Array(10).fill(429));
  }, 120_000);

  it("a spray written as another client's address spends none of that client's attempts", async () => {
    const owner = await createAccount("127.0.0.3");
    for (let i = 0; i < 55; i++) {
      const res = await signIn(newEmail(), "sprayed password", "127.0.0.4", { "x-forwarded-for": "127.0.0.5" });
      expect(res.status).toBe(i < 50 ? 401 : 429);
    }
    // 127.0.0.5 is the owner's own address: the 55 failures above were never counted against it.
    const res = await signIn(owner.email, PASSWORD, "127.0.0.5");
    expect(res.status).toBe(200);
  }, 120_000);

  it("10 failures close an account to that address only: even its right password is refused there, the owner elsewhere signs in", async () => {
    const owner = await createAccount("127.0.0.6");
    for (let i = 0; i < 10; i++) expect((await signIn(owner.email, `guess ${i}`, "127.0.0.7", { "x-forwarded-for": `203.0.113.${i}` })).status).toBe(401);
    const res = await signIn(owner.email, PASSWORD, "127.0.0.8");
    expect(res.status).toBe(200);
    expect(res.cookies.map((c) => c.split("=")[0])).toEqual(["whatrack_session", "whatrack_device"]);
    const attacker = await signIn(owner.email, PASSWORD, "127.0.0.7", { "x-forwarded-for": "203.0.113.99" });
    expect(attacker.status).toBe(429);
    expect(attacker.body.error).toEqual({ code: "rate_limited", message: TO_ACCOUNT });
  }, 60_000);

  it("only failures count: 12 right sign-ins in a row all succeed", async () => {
    const owner = await createAccount("127.0.0.9");
    for (let i = 0; i < 12; i++) expect((await signIn(owner.email, PASSWORD, "127.0.0.9")).status).toBe(200);
  }, 60_000);

  it("a burst of 30 wrong passwords sent at once gets 10 guesses, not 30", async () => {
    const owner = await createAccount("127.0.0.10");
    const burst = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(owner.email, `burst ${i}`, "127.0.0.10")));
    expect(burst.filter((r) => r.status === 401)).toHaveLength(10);
    expect(burst.filter((r) => r.status === 429)).toHaveLength(20);
  }, 60_000);

  it("failures from many addresses close the account to new browsers, never to the owner's own", async () => {
    const owner = await createAccount("127.0.0.11");
    const other = await createAccount("127.0.0.11");
    // 10 addresses × 10 failures: each address within its own limits, 100 failures on the account.
    await Promise.all(
      Array.from({ length: 10 }, async (_, a) => {
        for (let i = 0; i < 10; i++) expect((await signIn(owner.email, `guess ${a}-${i}`, `127.0.1.${a + 1}`)).status).toBe(401);
      }),
    );
    const eleventh = await signIn(owner.email, "guess 11", "127.0.1.11");
    expect(eleventh.body.error).toEqual({ code: "rate_limited", message: NEW_BROWSERS });
    // The right password from a browser that never signed in to this account: refused for now.
    expect((await signIn(owner.email, PASSWORD, "127.0.0.12")).status).toBe(429);
    // Another account's device cookie does not count as this account's browser.
    expect((await signIn(owner.email, PASSWORD, "127.0.0.12", { cookie: other.device })).status).toBe(429);
    // The owner's browser (its device cookie from sign-up), even from a new address: signed in.
    const res = await signIn(owner.email, PASSWORD, "127.0.0.13", { cookie: owner.device });
    expect(res.status).toBe(200);
  }, 120_000);

  it("sign-up: 20 attempts an hour per address, X-Forwarded-For or not; a guessable password is refused with the reason", async () => {
    const weak = await post(server, "/api/v1/auth/sign-up", { email: newEmail(), password: "1234567890", workspaceName: "Weak shop" }, "127.0.0.14");
    expect(weak.status).toBe(422);
    expect(weak.body.error?.message).toBe("password: too easy to guess. This is a frequently used password. Add more words that are less common.");
    for (let i = 1; i < 20; i++) {
      const res = await post(server, "/api/v1/auth/sign-up", { email: newEmail(), password: PASSWORD, workspaceName: "Shop" }, "127.0.0.14", { "x-forwarded-for": `203.0.113.${i}` });
      expect(res.status).toBe(201);
    }
    const limited = await post(server, "/api/v1/auth/sign-up", { email: newEmail(), password: PASSWORD, workspaceName: "Shop" }, "127.0.0.14", { "x-forwarded-for": "198.51.100.1" });
    expect(limited.status).toBe(429);
    expect((await post(server, "/api/v1/auth/sign-up", { email: newEmail(), password: PASSWORD, workspaceName: "Shop" }, "127.0.0.15")).status).toBe(201);
  }, 120_000);

  it("behind TRUSTED_PROXY_HOPS=1, the address the proxy appended counts, not what the client wrote before it", async () => {
    const owner = await createAccount("127.0.0.16", proxied);
    for (let i = 0; i < 10; i++) {
      expect((await signIn(owner.email, `guess ${i}`, "127.0.0.17", { "x-forwarded-for": `203.0.113.${i}, 198.51.100.7` }, proxied)).status).toBe(401);
    }
    expect((await signIn(owner.email, PASSWORD, "127.0.0.17", { "x-forwarded-for": "203.0.113.200, 198.51.100.7" }, proxied)).status).toBe(429);
    expect((await signIn(owner.email, PASSWORD, "127.0.0.17", { "x-forwarded-for": "198.51.100.7, 198.51.100.8" }, proxied)).status).toBe(200);
  }, 60_000);

  it("the sign-up page shows why a password is refused", async () => {
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
      const page = await browser.newPage();
      await page.goto(`${server.url}/sign-up`);
      await page.getByLabel("Business or workspace name").fill("Levi Bakery");
      await page.getByLabel("Email").fill(newEmail());
      await page.getByLabel("Password").fill("levibakery2024");
      await page.getByRole("button", { name: "Create account" }).click();
      // (Next's route announcer is an alert too: the form's is the one with text.)
      const alert = page.getByRole("alert").filter({ hasText: "password" });
      await alert.waitFor({ timeout: 15_000 });
      expect(await alert.textContent()).toBe("password: too easy to guess. There should not be any personal or page related data. Add more words that are less common.");
      expect(new URL(page.url()).pathname).toBe("/sign-up");
    } finally {
      await browser?.close();
    }
  }, 60_000);
});
