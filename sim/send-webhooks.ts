import {
  buildDelivery,
  buildMessage,
  serializeLikeMeta,
  signBody,
  statusUpdate,
  type MessageVariant,
  type StatusKind,
  type WebhookMessage,
  type WebhookStatus,
} from "@/sim/webhook-payloads";
import { newWamid } from "@/sim/ids";

// Delivers signed webhook payloads to a receiver the way Meta does (at-least-once, unordered, in batches),
// and measures how it answers. Used by `npm run sim -- send`, benches and integration tests.

export interface DeliveryResult {
  /** HTTP status, or 0 when no response arrived. */
  status: number;
  latencyMs: number;
  error?: string;
}

export interface SendDeliveryInput {
  url: string;
  appSecret: string;
  /** An object is serialised like Meta (escaped unicode); a string or Buffer is sent byte for byte. */
  body: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export async function sendDelivery({ url, appSecret, body, headers, timeoutMs = 30_000 }: SendDeliveryInput): Promise<DeliveryResult> {
  const raw = typeof body === "string" || Buffer.isBuffer(body) ? body : serializeLikeMeta(body);
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "User-Agent": "facebookexternalua",
        "X-Hub-Signature-256": signBody(raw, appSecret),
        ...headers,
      },
      body: typeof raw === "string" ? raw : new Uint8Array(raw),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer(); // drain, so the connection can be reused
    return { status: res.status, latencyMs: performance.now() - started };
  } catch (err) {
    return { status: 0, latencyMs: performance.now() - started, error: networkReason(err) };
  }
}

// fetch() says only "fetch failed"; the reason (ECONNREFUSED, a bad port) is in its cause.
function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause && typeof cause === "object" && "code" in cause && typeof cause.code === "string") return `${err.message} (${cause.code})`;
  return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
}

// ------------------------------------------------------------------------------------------- scenarios

export interface ScenarioOptions {
  url: string;
  appSecret: string;
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber?: string;
  /** Inbound messages to deliver, cycling through `types`. */
  messages: number;
  types?: MessageVariant[];
  /** Also deliver sent → delivered → read for one business reply per inbound message. */
  statuses?: boolean;
  /** Each delivery is sent this many times in all, in successive rounds (Meta's redelivery). Default 1. */
  duplicates?: number;
  /** Identical copies of each delivery sent at the same instant (racing redeliveries). Default 1. */
  concurrentCopies?: number;
  /** Shuffle items before batching, so statuses arrive out of order (read before sent). */
  shuffle?: boolean;
  /** Messages and statuses per delivery. Default 1. */
  batchSize?: number;
  /** Deliveries in flight at once within a round. Default 1. */
  parallel?: number;
  /** Seed for the shuffle, for reproducible runs. */
  seed?: number;
  headers?: Record<string, string>;
}

export interface ScenarioRequest extends DeliveryResult {
  delivery: number;
  round: number;
  copy: number;
}

export interface ScenarioResult {
  deliveries: number;
  requests: ScenarioRequest[];
  /** Inbound message wamids, in creation order. */
  messageIds: string[];
  /** Business-reply wamids that statuses were sent for. */
  statusWamids: string[];
  summary: LatencySummary & { byStatus: Record<string, number>; failed: number };
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

type Item = { kind: "message"; message: WebhookMessage } | { kind: "status"; status: WebhookStatus };

const STATUS_SEQUENCE: StatusKind[] = ["sent", "delivered", "read"];
const DEFAULT_TYPES: MessageVariant[] = ["text"];

function scenarioItems(o: ScenarioOptions): { items: Item[]; messageIds: string[]; statusWamids: string[] } {
  const types = o.types?.length ? o.types : DEFAULT_TYPES;
  const items: Item[] = [];
  const messageIds: string[] = [];
  const statusWamids: string[] = [];
  const start = Math.floor(Date.now() / 1000) - 10 * o.messages;
  for (let i = 0; i < o.messages; i++) {
    const message = buildMessage(types[i % types.length]!, { timestamp: start + i * 10 });
    items.push({ kind: "message", message });
    messageIds.push(message.id);
    if (!o.statuses) continue;
    // Each status a second apart, so a receiver can tell whether it kept the latest.
    const wamid = newWamid(message.from);
    statusWamids.push(wamid);
    STATUS_SEQUENCE.forEach((kind, step) => {
      items.push({ kind: "status", status: statusUpdate(kind, { wamid, recipientId: message.from, timestamp: start + i * 10 + 1 + step }) });
    });
  }
  return { items, messageIds, statusWamids };
}

/** mulberry32: a tiny seeded generator, so a shuffled run can be repeated exactly. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(list: T[], random: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function batches(o: ScenarioOptions, items: Item[]): string[] {
  const size = Math.max(1, o.batchSize ?? 1);
  const bodies: string[] = [];
  for (let i = 0; i < items.length; i += size) {
    const chunk = items.slice(i, i + size);
    const delivery = buildDelivery({
      wabaId: o.wabaId,
      phoneNumberId: o.phoneNumberId,
      displayPhoneNumber: o.displayPhoneNumber ?? "15550783881",
      messages: chunk.flatMap((it) => (it.kind === "message" ? [it.message] : [])),
      statuses: chunk.flatMap((it) => (it.kind === "status" ? [it.status] : [])),
    });
    // Serialised once: every copy and redelivery carries identical bytes, as Meta's retries do.
    bodies.push(serializeLikeMeta(delivery));
  }
  return bodies;
}

/** Runs `task` over `count` indexes with at most `limit` in flight. */
async function pool(count: number, limit: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
}

export function summarizeLatency(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0);
  return { count: sorted.length, p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted.at(-1) ?? 0) };
}

const round = (ms: number) => Math.round(ms * 10) / 10;

export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const { items, messageIds, statusWamids } = scenarioItems(o);
  const random = seededRandom(o.seed ?? Date.now());
  const bodies = batches(o, o.shuffle ? shuffled(items, random) : items);
  const requests: ScenarioRequest[] = [];
  const rounds = Math.max(1, o.duplicates ?? 1);
  const copies = Math.max(1, o.concurrentCopies ?? 1);

  for (let round = 1; round <= rounds; round++) {
    const order = o.shuffle ? shuffled([...bodies.keys()], random) : [...bodies.keys()];
    await pool(order.length, o.parallel ?? 1, async (i) => {
      const delivery = order[i]!;
      const results = await Promise.all(
        Array.from({ length: copies }, () => sendDelivery({ url: o.url, appSecret: o.appSecret, body: bodies[delivery], headers: o.headers })),
      );
      results.forEach((r, copy) => requests.push({ ...r, delivery, round, copy }));
    });
  }

  const byStatus: Record<string, number> = {};
  for (const r of requests) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  const failed = requests.filter((r) => r.status === 0 || r.status >= 400).length;
  return {
    deliveries: bodies.length,
    requests,
    messageIds,
    statusWamids,
    summary: { ...summarizeLatency(requests.map((r) => r.latencyMs)), byStatus, failed },
  };
}
