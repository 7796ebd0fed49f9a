import { randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { generateApiKey } from "@/lib/api-keys/api-key-secret";
import { drainOutbox } from "@/lib/outbound/drain-outbox";
import { textMessage } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { APP_ORIGIN } from "@/tests/helpers/owner-session";
import { connectTestNumber, deliveryFor, graphSimulator, postWebhook, type TestNumber } from "@/tests/helpers/webhook-harness";

// Shared by the outbound tests: a number whose customer just wrote (window open), a workspace API key,
// requests to the real route handlers, and a bounded drain.

export type Sender = TestNumber & { apiKey: string; customer: string };

/** A connected number (auto-reply off), a customer who wrote a minute ago, and a workspace API key. */
export async function numberWithCustomer(): Promise<Sender> {
  const number = await connectTestNumber({ autoReplyEnabled: false });
  const customer = `1555${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
  await postWebhook(deliveryFor(number, { messages: [textMessage({ from: customer, body: "hello, do you ship abroad?" })] }));
  await runAfterCallbacks();
  return { ...number, customer, apiKey: await createApiKey(number.workspaceId) };
}

/** A workspace API key as the app stores one (only its hash); the key itself. */
export async function createApiKey(workspaceId: string): Promise<string> {
  const key = generateApiKey();
  await prisma.apiKey.create({ data: { workspaceId, name: `test ${randomBytes(3).toString("hex")}`, prefix: key.prefix, keyHash: key.keyHash } });
  return key.key;
}

export type CallOptions = { body?: unknown; idempotencyKey?: string; apiKey?: string | null; cookie?: string; origin?: string | null };

/** A request to /api/v1/… as an integration (API key) or an owner's browser (cookie). */
export function apiRequest(method: string, path: string, options: CallOptions = {}): Request {
  const headers = new Headers();
  if (options.apiKey) headers.set("authorization", `Bearer ${options.apiKey}`);
  if (options.cookie) headers.set("cookie", options.cookie);
  const origin = options.origin === undefined ? (options.cookie && method !== "GET" ? APP_ORIGIN : null) : options.origin;
  if (origin) headers.set("origin", origin);
  if (options.idempotencyKey) headers.set("idempotency-key", options.idempotencyKey);
  if (options.body !== undefined) headers.set("content-type", "application/json");
  return new Request(`${APP_ORIGIN}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
}

export const textTo = (sender: Sender, body = "Yes, we ship worldwide", to = sender.customer) => ({ connectionId: sender.connectionId, to, type: "text", text: { body } });

/** Sends this number made, as the simulator recorded them. */
export function sentBy(sender: TestNumber) {
  return graphSimulator().control.sentMessages().filter((m) => m.phoneNumberId === sender.phoneNumberId);
}

/** One bounded drain in this process (what after(), a job or the worker would run), without waiting for rows due later. */
export function drainNow(budgetMs = 1_500) {
  return drainOutbox({ budgetMs, concurrency: 1, awaitDueWithinMs: 0 });
}

export async function outboundRow(id: string) {
  return prisma.outboundMessage.findUniqueOrThrow({ where: { id } });
}

/** Makes a queued row due now (skipping its backoff or pacing delay). */
export async function dueNow(id: string) {
  await prisma.outboundMessage.update({ where: { id }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
}
