import { randomBytes } from "node:crypto";
import { vi } from "vitest";

// Secrets for this test run, made up fresh each time so none is ever written down in the repo.
process.env.WHATSAPP_APP_SECRET ??= randomBytes(24).toString("hex");
process.env.WHATSAPP_VERIFY_TOKEN ??= randomBytes(12).toString("hex");
process.env.TOKEN_ENCRYPTION_KEY ??= `test:${randomBytes(32).toString("hex")}`;
process.env.CRON_SECRET ??= randomBytes(24).toString("hex");
process.env.SESSION_SECRET ??= randomBytes(32).toString("hex");
process.env.LOG_LEVEL ??= "silent";
// The lock store: the real Redis when CI names one; otherwise the embedded default's memory store.
if (process.env.TEST_REDIS_URL) process.env.REDIS_URL ??= process.env.TEST_REDIS_URL;

// Route handlers schedule work with next/server's `after()`, which needs Next's request scope.
// Tests call the exported handlers directly, so `after` queues the callback here instead and the
// test runs it when it chooses (tests/helpers/after-queue.ts) — everything else is the real module.
vi.mock("next/server", async (importOriginal) => {
  const actual = await importOriginal<typeof import("next/server")>();
  const { queueAfter } = await import("@/tests/helpers/after-queue");
  return { ...actual, after: queueAfter };
});

// A fake Graph API per test file: the app reaches Meta only through GRAPH_API_BASE_URL.
const { startGraphSimulator } = await import("@/sim/graph-server");
const graph = await startGraphSimulator({ port: 0, host: "127.0.0.1" });
process.env.GRAPH_API_BASE_URL = graph.url;
(globalThis as { __graphSimulator?: typeof graph }).__graphSimulator = graph;
const { afterAll } = await import("vitest");
afterAll(() => graph.close());
