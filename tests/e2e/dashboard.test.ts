import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import pg from "pg";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { connectGraphSimulator, type RemoteSimulatorControl } from "@/sim/graph-control-client";
import type { SentMessage } from "@/sim/graph-state";
import { sendDelivery } from "@/sim/send-webhooks";
import { buildDelivery, failedStatus, locationMessage, serializeLikeMeta, statusUpdate, stickerMessage, textMessage, type StatusKind, type WebhookMessage, type WebhookStatus } from "@/sim/webhook-payloads";
import { startNextServer, type NextServer } from "@/tests/helpers/next-server";

// The owners' dashboard in a real browser (Debian's Chromium driven by playwright-core) on the built app
// under `next start`, the real PostgreSQL and Redis, and the Meta simulator running as its own process:
// sign up → connect a number → the simulator delivers messages and statuses → the conversation and its
// ticks appear without a reload → a failed delivery shows up and is replayed → an admin triggers a job →
// a second owner gets 404 for the first owner's pages and API → the password changes and another device is
// signed out → signing out ends the session on the server. Every page of the journey runs under the
// app's Content Security Policy: any violation fails the step it happened in; and no page may be framed.
// Screenshots of every main page go to test-results/screenshots/ (desktop and phone widths).

const onServer = Boolean(process.env.TEST_DATABASE_URL && process.env.TEST_REDIS_URL);
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Without these Chromium keeps calling Google's services, refused by this machine's closed network.
const CHROMIUM_ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--disable-gpu", "--disable-dev-shm-usage"];
const SHOTS = path.join("test-results", "screenshots");
const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 800 }, locale: "en-US", timezoneId: "UTC" };
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "en-US", timezoneId: "UTC" };
const LIVE_MS = 30_000; // polling is every 2.5 s (thread, activity) or 5 s (conversation list); CI may be loaded

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm run sim -- serve` as its own process group, scripted over its /__sim/ HTTP API. */
async function startSimulatorProcess(port: number): Promise<{ url: string; control: RemoteSimulatorControl; stop(): Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "sim/cli.ts", "serve", "--port", String(port)], { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {
        // already gone
      }
    }
    await exited;
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the simulator exited:\n${output}`);
    if (await fetch(`${url}/__sim/stats`).then((r) => r.ok, () => false)) return { url, control: connectGraphSimulator(url), stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`the simulator did not answer within 30 s:\n${output}`);
}

/** The admin CLI (`npm run whatrack -- …`) against this file's database; returns its JSON output. */
async function whatrackCli(args: string[], stdin?: string): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/whatrack.ts", ...args], { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, LOG_LEVEL: "silent" } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  child.stdin.end(stdin ?? "");
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`whatrack ${args[0]} exited ${code}: ${stderr}`);
  return JSON.parse(stdout) as Record<string, unknown>;
}

async function shoot(page: Page, name: string): Promise<void> {
  // Let fonts and client components settle so the picture shows what a person sees; park the pointer
  // in a corner so no hover state (a chart tooltip, a darker button) is left from the last click.
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

describe.skipIf(!onServer)("the owners' dashboard in Chromium on next start", () => {
  let server: NextServer;
  let sim: Awaited<ReturnType<typeof startSimulatorProcess>>;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  const contexts: BrowserContext[] = [];

  // The first owner's world, filled in as the journey goes.
  const run = randomBytes(4).toString("hex");
  const ownerEmail = `owner-${run}@example.test`;
  const password = `correct horse ${run}`;
  const phoneNumberId = String(100_000_000_000_000 + Math.floor(Math.random() * 1e12));
  const wabaId = String(200_000_000_000_000 + Math.floor(Math.random() * 1e12));
  const displayPhoneNumber = "15550102000";
  const customer = { waId: "972501234567", name: "Dana Levi" };
  let connectionId = "";
  let conversationId = "";
  let failedEventId = "";
  let sendId = "";
  let currentPassword = password;
  // What the browser reported as blocked by the Content Security Policy, in the journey's contexts.
  const cspViolations: string[] = [];

  async function newContext(options: BrowserContextOptions = DESKTOP, { watchCsp = true } = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ ...options, baseURL: server.url });
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    if (watchCsp) {
      // The page's own report of each violation, and Chromium's console message ("Refused to execute…").
      await context.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} in ${e.documentURI}`), true);
      });
      context.on("console", (message) => {
        if (message.type() === "error" && /CSP violation|Content Security Policy/i.test(message.text())) cspViolations.push(`${message.page()?.url()}: ${message.text()}`);
      });
    }
    return context;
  }

  /** Meta's side: one signed delivery of messages and/or statuses for the connected number, to the app's webhook URL. */
  async function deliver(change: { messages?: WebhookMessage[]; statuses?: WebhookStatus[] }): Promise<string> {
    const contacts = change.messages?.length ? [{ profile: { name: customer.name }, wa_id: customer.waId }] : undefined;
    const body = serializeLikeMeta(buildDelivery({ wabaId, phoneNumberId, displayPhoneNumber, contacts, ...change }));
    const res = await sendDelivery({ url: `${server.url}/api/v1/webhooks/whatsapp`, appSecret: process.env.WHATSAPP_APP_SECRET!, body });
    expect(res.status).toBe(200);
    return body;
  }

  async function status(kind: StatusKind, wamid: string, error?: { code: number; title: string; details: string }): Promise<void> {
    await deliver({ statuses: [kind === "failed" ? failedStatus({ wamid, recipientId: customer.waId, error }) : statusUpdate(kind, { wamid, recipientId: customer.waId })] });
  }

  /** The business's auto-replies as Meta (the simulator) received them, oldest first. */
  async function autoReplies(count: number): Promise<string[]> {
    const deadline = Date.now() + LIVE_MS;
    for (;;) {
      const sent = (await sim.control.sentMessages()).filter((m) => m.phoneNumberId === phoneNumberId);
      if (sent.length >= count || Date.now() > deadline) return sent.map((m) => m.wamid);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** The first message the simulator (Meta) received from the connected number that matches. */
  async function sentToMeta(what: string, matches: (m: SentMessage) => boolean): Promise<SentMessage> {
    const deadline = Date.now() + LIVE_MS;
    for (;;) {
      const found = (await sim.control.sentMessages()).find((m) => m.phoneNumberId === phoneNumberId && matches(m));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`the simulator never received ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const sentWithText = async (text: string) => (await sentToMeta(`“${text}”`, (m) => m.text === text)).wamid;

  async function signIn(context: BrowserContext, email: string, secret: string): Promise<Page> {
    const p = await context.newPage();
    await p.goto("/sign-in");
    await p.getByLabel("Email").fill(email);
    await p.getByLabel("Password").fill(secret);
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.waitForURL((url) => url.pathname === "/");
    return p;
  }

  async function signUp(context: BrowserContext, workspaceName: string, email: string, secret: string): Promise<Page> {
    const p = await context.newPage();
    await p.goto("/sign-up");
    await p.getByLabel("Business or workspace name").fill(workspaceName);
    await p.getByLabel("Your name").fill("Test Owner");
    await p.getByLabel("Email").fill(email);
    await p.getByLabel("Password").fill(secret);
    await p.getByRole("button", { name: "Create account" }).click();
    await p.getByTestId("workspace-name").getByText(workspaceName).waitFor();
    return p;
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    mkdirSync(SHOTS, { recursive: true });
    sim = await startSimulatorProcess(await freePort());
    server = await startNextServer({
      port: await freePort(),
      env: {
        DATABASE_URL: process.env.DATABASE_URL,
        REDIS_URL: process.env.TEST_REDIS_URL,
        WHATSAPP_APP_SECRET: process.env.WHATSAPP_APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: process.env.WHATSAPP_VERIFY_TOKEN,
        TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY,
        SESSION_SECRET: process.env.SESSION_SECRET,
        CRON_SECRET: process.env.CRON_SECRET,
        GRAPH_API_BASE_URL: sim.url,
        SMTP_URL: "",
        LOG_LEVEL: "warn",
      },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    owner = await newContext();
  });

  afterEach(() => {
    // Names the step whose pages broke the policy, then starts the next step clean.
    const seen = cspViolations.splice(0);
    expect(seen, "Content Security Policy violations").toEqual([]);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.stop();
    await sim?.stop();
  });

  it("signs up: a new workspace with nothing connected yet", async () => {
    page = await signUp(owner, `Levi Bakery ${run}`, ownerEmail, password);
    await page.getByRole("heading", { name: "No WhatsApp numbers yet" }).waitFor();
    await shoot(page, "overview-empty");
  });

  it("connects a number through the form, checked against the Meta simulator", async () => {
    await page.getByRole("link", { name: "Connect a number" }).click();
    await page.getByRole("textbox", { name: /^Name/ }).fill("Front desk");
    await page.getByLabel("WhatsApp Business Account ID").fill(wabaId);
    await page.getByLabel("Phone number ID").fill(phoneNumberId);
    await page.getByLabel("System-user access token").fill(`EAAT${randomBytes(16).toString("hex")}`);
    await shoot(page, "connect-number");
    await page.getByRole("button", { name: "Connect number" }).click();
    await page.waitForURL((url) => /^\/connections\/(?!new$)[^/]+$/.test(url.pathname));
    connectionId = new URL(page.url()).pathname.split("/").pop()!;
    await page.getByRole("heading", { name: "Front desk", level: 1 }).waitFor();
    await page.getByTestId("health-check").first().waitFor();
    await shoot(page, "connection");

    const requests = await sim.control.requests();
    expect(requests.some((r) => r.phoneNumberId === phoneNumberId)).toBe(true);
    expect(requests.some((r) => r.wabaId === wabaId && r.method === "POST")).toBe(true); // subscribed to the WABA's webhooks

    await page.getByRole("link", { name: "Overview", exact: true }).first().click();
    await page.getByTestId("connection-card").waitFor();
    await shoot(page, "overview");
  });

  it("shows the simulator's messages and their ticks without a reload", async () => {
    await page.goto("/conversations");
    await page.getByText("No conversations yet").waitFor();
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

    // A question, then a location and a sticker: types the number answers with an auto-reply.
    await deliver({ messages: [textMessage({ from: customer.waId, body: "Hi! Is my order #1042 ready for pickup?", timestamp: Math.floor(Date.now() / 1000) - 60 })] });
    await deliver({ messages: [locationMessage({ from: customer.waId, timestamp: Math.floor(Date.now() / 1000) - 30 })] });
    await deliver({ messages: [stickerMessage({ from: customer.waId })] });
    const row = page.getByRole("link", { name: new RegExp(customer.name) });
    await row.waitFor({ timeout: LIVE_MS });
    await page.getByText("Window open").first().waitFor();
    await shoot(page, "conversations");
    expect(await page.evaluate(() => "__sameDocument" in window)).toBe(true); // the list updated in place

    const [readWamid, failedWamid] = await autoReplies(2);
    expect(readWamid && failedWamid).toBeTruthy();
    await row.click();
    await page.waitForURL(/\/conversations\/[^/]+$/);
    conversationId = new URL(page.url()).pathname.split("/").pop()!;
    await page.getByText("Hi! Is my order #1042 ready for pickup?").waitFor();
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));

    const bubble = (wamid: string) => page.locator(`[data-testid="message"][data-wamid="${wamid}"]`);
    await bubble(readWamid!).getByRole("img", { name: /Pending/ }).waitFor();
    await status("sent", readWamid!);
    await bubble(readWamid!).getByRole("img", { name: "Sent" }).waitFor({ timeout: LIVE_MS });
    await status("delivered", readWamid!);
    await bubble(readWamid!).getByRole("img", { name: "Delivered" }).waitFor({ timeout: LIVE_MS });
    await status("read", readWamid!);
    await bubble(readWamid!).getByRole("img", { name: "Read" }).waitFor({ timeout: LIVE_MS });
    await status("failed", failedWamid!, { code: 131047, title: "Re-engagement message", details: "More than 24 hours have passed since the recipient last replied." });
    await bubble(failedWamid!).getByRole("img", { name: "Failed" }).waitFor({ timeout: LIVE_MS });
    await bubble(failedWamid!).getByTestId("failure-reason").getByText("Re-engagement message").waitFor();
    expect(await page.evaluate(() => "__sameDocument" in window)).toBe(true); // no reload: the thread polled
    await shoot(page, "conversation");

    const phone = await newContext({ ...PHONE, storageState: await owner.storageState() });
    const phonePage = await phone.newPage();
    await phonePage.goto(`/conversations/${conversationId}`);
    await phonePage.locator(`[data-testid="message"][data-wamid="${readWamid}"]`).getByRole("img", { name: "Read" }).waitFor();
    await shoot(phonePage, "phone-conversation");
    await phonePage.goto("/");
    await phonePage.getByTestId("connection-card").waitFor();
    await shoot(phonePage, "phone-overview");
    await phone.close();
  });

  it("answers the customer from the reply box and sees the ticks arrive; a send Meta refuses shows its reason, is listed, and goes on retry", async () => {
    await page.goto(`/conversations/${conversationId}`);
    const box = page.getByTestId("reply-box");
    await box.getByText(/Free-form replies allowed for \d+ h/).waitFor();
    const reply = box.getByRole("textbox", { name: "Reply" });

    const sendBubble = (text: string) => page.getByTestId("send").filter({ hasText: text });
    const bubble = (wamid: string) => page.locator(`[data-testid="message"][data-wamid="${wamid}"]`);

    // A reply: a queued bubble at once, then the thread's message with the ticks Meta's statuses bring.
    const answer = `Yes, #1042 is ready: come by any time before 6 pm. ${run}`;
    await reply.fill(answer);
    await shoot(page, "reply-box");
    await reply.press("Enter");
    await sendBubble(answer).getByRole("img", { name: /^Queued/ }).waitFor({ timeout: 5_000 });
    expect(await reply.inputValue()).toBe("");
    const wamid = await sentWithText(answer);
    await bubble(wamid).getByText(answer).waitFor({ timeout: LIVE_MS });
    await sendBubble(answer).waitFor({ state: "detached", timeout: LIVE_MS }); // the queued bubble gave way to the message
    await status("sent", wamid);
    await bubble(wamid).getByRole("img", { name: "Sent" }).waitFor({ timeout: LIVE_MS });
    await status("delivered", wamid);
    await bubble(wamid).getByRole("img", { name: "Delivered" }).waitFor({ timeout: LIVE_MS });
    await status("read", wamid);
    await bubble(wamid).locator('[data-tick="read"]').waitFor({ timeout: LIVE_MS });
    await shoot(page, "reply-read");

    // Meta refuses the next one (131026, no retry by itself): the bubble turns red with Meta's reason.
    await sim.control.script({ pathPattern: "/messages$", to: customer.waId, error: { code: 131026 }, times: 1 });
    const refused = `And a birthday cake for Saturday? ${run}`;
    await reply.fill(refused);
    await box.getByRole("button", { name: "Send", exact: true }).click();
    const failed = sendBubble(refused);
    await failed.getByRole("img", { name: "Failed" }).waitFor({ timeout: LIVE_MS });
    await failed.getByTestId("failure-reason").getByText(/Message undeliverable/).waitFor();
    await failed.getByTestId("failure-reason").getByText("#131026", { exact: false }).waitFor();
    sendId = (await failed.getAttribute("data-send-id")) ?? "";
    await shoot(page, "reply-failed");

    // Listed with the workspace's failed sends, with Meta's reason.
    await page.getByRole("link", { name: "Failed sends" }).click();
    const card = page.getByTestId("failed-send").filter({ hasText: `+${customer.waId}` });
    await card.getByTestId("failure-reason").getByText(/Message undeliverable/).waitFor();
    await page.getByRole("button", { name: /^Retry all \(1\)/ }).waitFor();
    await shoot(page, "failed-sends");

    // Back in the conversation (a new render: the failed send comes from the server), Retry sends it.
    await card.getByRole("link", { name: /Open the conversation/ }).click();
    await page.waitForURL((url) => url.pathname === `/conversations/${conversationId}`);
    await sendBubble(refused).getByRole("button", { name: "Retry" }).click();
    const retriedWamid = await sentWithText(refused);
    await bubble(retriedWamid).getByText(refused).waitFor({ timeout: LIVE_MS });
    await status("delivered", retriedWamid);
    await bubble(retriedWamid).getByRole("img", { name: "Delivered" }).waitFor({ timeout: LIVE_MS });
    await page.getByTestId("send").first().waitFor({ state: "detached", timeout: LIVE_MS });
    await page.goto("/sends");
    await page.getByText("No failed sends").waitFor();
  });

  it("sends an approved template to a new number from the conversations list; a closed window offers only templates, saying why", async () => {
    const newCustomer = "447700900123";
    await page.goto("/conversations");
    await page.getByRole("button", { name: "Send template" }).click();
    const panel = page.getByTestId("start-conversation");
    await panel.getByLabel("Customer's number").fill("+44 7700 900123");
    // The templates Meta (the simulator) lists for the number's WABA, synced from the picker.
    await panel.getByRole("button", { name: "Sync templates from Meta" }).click();
    await panel.getByLabel("Template", { exact: true }).selectOption({ label: "order_update (en_US) · utility" });
    await panel.getByLabel("Body {{1}}").fill("Noa");
    await panel.getByRole("button", { name: "Send template" }).click();
    await panel.getByRole("alert").getByText("Fill in body {{2}}.").waitFor();
    await panel.getByLabel("Body {{2}}").fill("#2077");
    await panel.getByTestId("template-preview").getByText("Hi Noa, your order #2077 is on its way.").waitFor();
    await shoot(page, "send-template");
    await panel.getByRole("button", { name: "Send template" }).click();

    // The new conversation opens; the customer never wrote, so only a template can follow.
    await page.waitForURL((url) => /^\/conversations\/(?!sent\/)[^/]+$/.test(url.pathname));
    const box = page.getByTestId("reply-box");
    await box.getByTestId("window-closed-reason").getByText(/has not written to this number yet: only an approved template can be sent/).waitFor();
    expect(await box.getByRole("textbox", { name: "Reply" }).count()).toBe(0);
    const sent = await sentToMeta("the order_update template", (m) => m.to === newCustomer && m.type === "template");
    expect(sent.payload).toMatchObject({
      template: { name: "order_update", language: { code: "en_US" }, components: [{ type: "body", parameters: [{ type: "text", text: "Noa" }, { type: "text", text: "#2077" }] }] },
    });
    await page.locator(`[data-testid="message"][data-wamid="${sent.wamid}"]`).waitFor({ timeout: LIVE_MS });
    await box.getByLabel("Template", { exact: true }).selectOption({ label: "appointment_reminder (en_US) · utility" });
    await box.getByLabel("Body {{1}}").fill("Friday");
    await box.getByTestId("template-preview").getByText(/^Reminder: your appointment is on Friday at \{\{2\}\}\.$/).waitFor();
    await shoot(page, "template-picker");

    // A customer who last wrote 25 hours ago: the box says so, and sends the template.
    const lapsed = { waId: "15550107777", name: "Sam Old" };
    const body = serializeLikeMeta(
      buildDelivery({
        wabaId,
        phoneNumberId,
        displayPhoneNumber,
        contacts: [{ profile: { name: lapsed.name }, wa_id: lapsed.waId }],
        messages: [textMessage({ from: lapsed.waId, body: "Do you bake on Sundays?", timestamp: Math.floor(Date.now() / 1000) - 25 * 3600 })],
      }),
    );
    expect((await sendDelivery({ url: `${server.url}/api/v1/webhooks/whatsapp`, appSecret: process.env.WHATSAPP_APP_SECRET!, body })).status).toBe(200);
    await page.goto("/conversations");
    await page.getByRole("link", { name: new RegExp(lapsed.name) }).click({ timeout: LIVE_MS });
    await page.getByText("Do you bake on Sundays?").waitFor();
    await box.getByTestId("window-closed-reason").getByText("The customer last wrote more than 24 hours ago: only an approved template can be sent.", { exact: false }).waitFor();
    await box.getByLabel("Template", { exact: true }).selectOption({ label: "hello_world (en_US) · utility" });
    await box.getByRole("button", { name: "Send template" }).click();
    await page.getByTestId("send").getByRole("img", { name: /^Queued/ }).waitFor({ timeout: 5_000 });
    const hello = await sentToMeta("the hello_world template", (m) => m.to === lapsed.waId && m.type === "template");
    await page.locator(`[data-testid="message"][data-wamid="${hello.wamid}"]`).waitFor({ timeout: LIVE_MS });
  });

  it("lists a delivery whose processing failed, and replays it from the page", async () => {
    // A transient failure while storing: the database refuses this one message until the "outage" ends.
    const message = textMessage({ from: customer.waId, body: "Can I also add a birthday cake?" });
    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      await db.query(`CREATE FUNCTION e2e_outage() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated outage: the message store is unavailable'; END $$`);
      await db.query(`CREATE TRIGGER e2e_outage BEFORE INSERT ON "Message" FOR EACH ROW WHEN (NEW.wamid = '${message.id.replaceAll("'", "''")}') EXECUTE FUNCTION e2e_outage()`);
      await deliver({ messages: [message] });

      await page.goto("/webhooks");
      const card = page.getByTestId("webhook-event");
      for (let i = 0; i < 20 && (await card.count()) === 0; i++) {
        await page.waitForTimeout(500); // processing runs right after the 200; the page is a server render
        await page.reload();
      }
      await card.getByText("simulated outage").waitFor();
      await card.getByText("PROCESSING").waitFor();
      // The inbox's platform-wide lag is for platform admins only.
      expect(await page.getByTestId("inbox-lag").count()).toBe(0);
      failedEventId = (await db.query<{ id: string }>(`SELECT id FROM "WebhookEvent" WHERE state = 'FAILED'`)).rows[0]!.id;
      await shoot(page, "failed-webhooks");

      // The activity feed, open in a second tab, will show the message once the replay stores it.
      const activity = await owner.newPage();
      await activity.goto("/activity");
      await activity.getByTestId("activity-event").first().waitFor();
      const eventsBefore = await activity.getByTestId("activity-event").count();

      await db.query(`DROP TRIGGER e2e_outage ON "Message"`);
      await card.getByRole("button", { name: /^Replay/ }).click();
      await page.getByTestId("replay-result").getByText("Replayed: processed.").waitFor();
      await page.getByText("No failed webhooks").waitFor();
      expect((await db.query(`SELECT state FROM "WebhookEvent" WHERE id = $1`, [failedEventId])).rows[0]).toEqual({ state: "PROCESSED" });

      // The new event arrives in the open feed by polling, without a reload.
      await activity.getByTestId("activity-event").nth(eventsBefore).waitFor({ timeout: LIVE_MS });
      await activity.locator('[data-testid="activity-event"][data-type="message.received"]').first().getByText(`text message from ${customer.name}`).waitFor();
      await shoot(activity, "activity");
      await activity.close();

      await page.goto(`/conversations/${conversationId}`);
      await page.getByText("Can I also add a birthday cake?").waitFor();
    } finally {
      await db.query(`DROP TRIGGER IF EXISTS e2e_outage ON "Message"`).catch(() => undefined);
      await db.query(`DROP FUNCTION IF EXISTS e2e_outage()`).catch(() => undefined);
      await db.end();
    }
  });

  it("lets a platform admin (made with the CLI) trigger a job and see its run", async () => {
    const slug = `platform-${run}`;
    await whatrackCli(["workspace:create", "--name", "WhaTrack operators", "--slug", slug]);
    const adminEmail = `admin-${run}@example.test`;
    const adminPassword = `admin password ${run}`;
    expect(await whatrackCli(["owner:create", "--workspace", slug, "--email", adminEmail, "--password-stdin", "--admin"], adminPassword)).toMatchObject({ isAdmin: true });

    const admin = await newContext();
    const signInPage = await admin.newPage();
    await signInPage.goto("/sign-in");
    await signInPage.getByRole("heading", { name: "Sign in" }).waitFor();
    await shoot(signInPage, "sign-in");
    await signInPage.close();
    const adminPage = await signIn(admin, adminEmail, adminPassword);
    await adminPage.getByRole("link", { name: "Jobs" }).click();
    const job = adminPage.locator('[data-testid="job"][data-job="whatsapp-health-check"]');
    await job.waitFor();
    const runsBefore = await job.getByTestId("job-run").count();
    await job.getByRole("button", { name: "Trigger now" }).click();
    await job.getByRole("status").getByText(/\S/).waitFor({ timeout: 60_000 });
    await job.getByTestId("job-run").nth(runsBefore).waitFor();
    const latest = job.getByTestId("job-run").first();
    await latest.getByText(adminEmail).waitFor();
    await latest.getByText("succeeded").waitFor();
    await shoot(adminPage, "jobs");

    // Admins see the inbox's platform-wide backlog on the failed-webhooks page.
    await adminPage.goto("/webhooks");
    const lag = adminPage.getByTestId("inbox-lag");
    await lag.getByText("Waiting to be processed").waitFor();
    expect(await lag.locator("dd").first().textContent()).toMatch(/^\d+$/);
    await shoot(adminPage, "failed-webhooks-admin");

    const phone = await newContext(PHONE);
    const phoneSignIn = await phone.newPage();
    await phoneSignIn.goto("/sign-in");
    await phoneSignIn.getByRole("heading", { name: "Sign in" }).waitFor();
    await shoot(phoneSignIn, "phone-sign-in");
    await phone.close();
  });

  it("refuses to be framed, even by a page of its own origin", async () => {
    const context = await newContext({ ...DESKTOP, storageState: await owner.storageState() }, { watchCsp: false });
    const framing = await context.newPage();
    const refusals: string[] = [];
    framing.on("console", (message) => refusals.push(message.text()));
    // A page served at the app's own origin (Playwright answers for it) that frames the signed-in dashboard.
    await framing.route(`${server.url}/framing-test`, (route) => route.fulfill({ contentType: "text/html", body: '<!doctype html><iframe id="dashboard" src="/" width="1000" height="700"></iframe>' }));
    await framing.goto("/framing-test");
    await framing.waitForTimeout(1_500);
    const framed = framing.frames().find((frame) => frame !== framing.mainFrame());
    expect(framed).toBeTruthy();
    expect(await framed!.locator('[data-testid="workspace-name"]').count()).toBe(0);
    expect(refusals.join("\n")).toMatch(/frame-ancestors|X-Frame-Options/);
    await context.close();
  });

  it("gives a second owner 404 for the first owner's pages and API", async () => {
    expect(connectionId && conversationId && failedEventId && sendId).toBeTruthy();
    const intruder = await newContext();
    const p = await signUp(intruder, `Other shop ${run}`, `intruder-${run}@example.test`, `another password ${run}`);

    for (const url of [`/connections/${connectionId}`, `/connections/${connectionId}?days=30`, `/conversations/${conversationId}`, `/conversations/sent/${sendId}`]) {
      const res = await p.goto(url);
      expect(res?.status(), url).toBe(404);
      await p.getByText(/not found/i).first().waitFor();
    }
    expect((await p.goto("/no-such-page"))?.status()).toBe(404);
    await p.getByRole("heading", { name: "Page not found" }).waitFor();
    await p.goto("/conversations");
    await p.getByText("No conversations yet").waitFor();
    await p.goto("/webhooks");
    await p.getByText("No failed webhooks").waitFor();
    await p.goto("/sends");
    await p.getByText("No failed sends").waitFor();

    const api = intruder.request;
    const origin = { origin: server.url };
    for (const [method, url] of [
      ["GET", `/api/v1/connections/${connectionId}`],
      ["GET", `/api/v1/connections/${connectionId}/health`],
      ["POST", `/api/v1/connections/${connectionId}/check`],
      ["PATCH", `/api/v1/connections/${connectionId}`],
      ["DELETE", `/api/v1/connections/${connectionId}`],
      ["GET", `/api/v1/conversations/${conversationId}`],
      ["GET", `/api/v1/conversations/${conversationId}/messages`],
      ["POST", `/api/v1/webhook-events/${failedEventId}/replay`],
      ["GET", `/api/v1/messages/${sendId}`],
      ["POST", `/api/v1/messages/${sendId}/retry`],
    ] as const) {
      const res = await api.fetch(url, { method, headers: origin, data: method === "PATCH" ? { name: "mine now" } : undefined });
      expect(res.status(), `${method} ${url}`).toBe(404);
    }
    for (const url of ["/api/v1/conversations", `/api/v1/conversations?q=${encodeURIComponent(customer.name)}`, "/api/v1/connections", "/api/v1/webhook-events", "/api/v1/messages", "/api/v1/messages?state=FAILED", "/api/v1/activity", `/api/v1/health-checks?connectionId=${connectionId}`]) {
      const res = await api.get(url);
      expect(res.status(), url).toBe(200);
      expect((await res.json()).data, url).toEqual([]);
    }

    // …while the first owner still reaches all of it.
    expect((await page.goto(`/connections/${connectionId}`))?.status()).toBe(200);
    expect((await owner.request.get(`/api/v1/conversations/${conversationId}/messages`)).status()).toBe(200);
  });

  it("changes the password on the account page: another device is signed out, this one stays", async () => {
    const phone = await newContext(PHONE);
    const phonePage = await signIn(phone, ownerEmail, currentPassword);

    await page.getByRole("link", { name: ownerEmail }).click();
    await page.getByRole("heading", { name: "Account", level: 1 }).waitFor();
    expect(await page.getByTestId("session").count()).toBe(2);
    await page.getByTestId("session").filter({ hasText: "this device" }).waitFor();
    await shoot(page, "account");

    const newPassword = `battery staple ${run}`;
    await page.getByLabel("Current password").fill(currentPassword);
    await page.getByLabel("New password").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByRole("status").getByText("Password changed. Signed out 1 other device.").waitFor();
    currentPassword = newPassword;

    await phonePage.reload();
    await phonePage.waitForURL((url) => url.pathname === "/sign-in");
    await page.reload();
    await page.getByRole("heading", { name: "Account", level: 1 }).waitFor();
    expect(await page.getByTestId("session").count()).toBe(1);
  });

  it("creates an API key on the account page, shown once with a copy button; the list never shows it again; revokes it", async () => {
    await page.goto("/settings");
    await page.getByLabel("Key name").fill("Playwright key");
    await page.getByRole("button", { name: "Create key" }).click();
    const shown = page.getByTestId("new-api-key");
    await shown.getByText("it will not be shown again").waitFor();
    const key = await shown.getByLabel("New API key").inputValue();
    expect(key).toMatch(/^wt_[\w-]{43}$/);
    await shown.getByRole("button", { name: "Copy" }).waitFor();
    const row = page.getByTestId("api-key").filter({ hasText: "Playwright key" });
    await row.getByText(key.slice(0, 10)).waitFor();
    await shoot(page, "api-keys");

    await page.reload();
    await row.waitFor();
    expect(await page.getByTestId("new-api-key").count()).toBe(0);
    expect(await page.content()).not.toContain(key);

    await row.getByRole("button", { name: "Revoke…" }).click();
    await row.getByRole("button", { name: "Revoke", exact: true }).click();
    await row.getByText("revoked").waitFor();
    await page.reload();
    await page.getByTestId("api-key").filter({ hasText: "Playwright key" }).getByText("revoked").waitFor();
  });

  it("signs out on the server: the old cookie opens nothing, signing in again returns to the page asked for; then out everywhere", async () => {
    const before = await owner.storageState();
    await page.getByRole("button", { name: "Sign out", exact: true }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");

    // The cookie as it was before signing out, replayed from another browser.
    const replay = await newContext({ ...DESKTOP, storageState: before });
    const replayed = await replay.newPage();
    await replayed.goto(`/conversations/${conversationId}`);
    await replayed.waitForURL((url) => url.pathname === "/sign-in");
    expect((await replay.request.get("/api/v1/auth/me")).status()).toBe(401);

    // Signed out, a link into the dashboard leads through sign-in and back to it.
    await page.goto(`/conversations/${conversationId}`);
    await page.waitForURL((url) => url.pathname === "/sign-in" && url.searchParams.get("next") === `/conversations/${conversationId}`);
    await page.getByLabel("Email").fill(ownerEmail);
    await page.getByLabel("Password").fill(currentPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname === `/conversations/${conversationId}`);
    await page.getByText("Can I also add a birthday cake?").waitFor();

    // Sign out everywhere, from the account page: another device's session ends with this one.
    const laptop = await newContext();
    const laptopPage = await signIn(laptop, ownerEmail, currentPassword);
    await page.goto("/settings");
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.waitForURL((url) => url.pathname === "/sign-in");
    await laptopPage.reload();
    await laptopPage.waitForURL((url) => url.pathname === "/sign-in");
    expect((await laptop.request.get("/api/v1/auth/me")).status()).toBe(401);
  });
});
