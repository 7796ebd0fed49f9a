import { createHash } from "node:crypto";
import { queryRows } from "@/lib/db/client";

// Every delivery stored in the same turn of the event loop goes in one statement: under load a
// round trip (and its commit) serves many requests; alone, a request waits one tick for nothing.
// Bodies travel base64-encoded in one JSON parameter, which both database drivers pass alike.
const INSERT = `
  INSERT INTO "WebhookEvent" (id, "rawBody", "bodySha256", "signatureValid", "receivedAt", "lastReceivedAt", state, "nextAttemptAt", deliveries)
  SELECT gen_random_uuid()::text, decode(v.b, 'base64'), v.h, true, now(), now(), 'PENDING', now(), v.n
  FROM json_to_recordset($1::json) AS v(b text, h text, n int) ORDER BY v.h
  ON CONFLICT ("bodySha256") DO UPDATE SET deliveries = "WebhookEvent".deliveries + EXCLUDED.deliveries, "lastReceivedAt" = now()
  RETURNING id, "bodySha256" AS h, state::text AS state, deliveries`;

// One statement's bounds: a few MB of payload, and not so many rows that one slow statement holds
// every request of a burst.
const MAX_BATCH_ROWS = 200;
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

export type StoredWebhookEvent = { id: string; duplicate: boolean; needsProcessing: boolean };

type Waiting = { body: Uint8Array; sha256: string; resolve: (event: StoredWebhookEvent) => void; reject: (err: unknown) => void };

const g = globalThis as typeof globalThis & { __whatrackStoreQueue?: { waiting: Waiting[]; scheduled: boolean } };
const queue = (g.__whatrackStoreQueue ??= { waiting: [], scheduled: false });

/**
 * Writes a signed delivery durably; only after this resolves may the route answer 200. Identical
 * re-deliveries collapse onto one row (unique body hash) and bump its counter — also when the copies
 * arrive together. Nothing is parsed here: processing flags a malformed body (FAILED, MALFORMED)
 * right after.
 */
export function storeWebhookEvent(rawBody: Uint8Array): Promise<StoredWebhookEvent> {
  const sha256 = createHash("sha256").update(rawBody).digest("hex");
  return new Promise((resolve, reject) => {
    queue.waiting.push({ body: rawBody, sha256, resolve, reject });
    if (!queue.scheduled) {
      queue.scheduled = true;
      setImmediate(flush);
    }
  });
}

function flush(): void {
  queue.scheduled = false;
  while (queue.waiting.length > 0) void insertBatch(takeBatch());
}

function takeBatch(): Waiting[] {
  let bytes = 0;
  let count = 0;
  for (const w of queue.waiting) {
    if (count > 0 && (count >= MAX_BATCH_ROWS || bytes + w.body.byteLength > MAX_BATCH_BYTES)) break;
    bytes += w.body.byteLength;
    count++;
  }
  return queue.waiting.splice(0, count);
}

async function insertBatch(batch: Waiting[]): Promise<void> {
  const byHash = new Map<string, Waiting[]>();
  for (const w of batch) byHash.set(w.sha256, [...(byHash.get(w.sha256) ?? []), w]);
  try {
    const rows = [...byHash.values()].map((copies) => ({
      b: Buffer.from(copies[0]!.body.buffer, copies[0]!.body.byteOffset, copies[0]!.body.byteLength).toString("base64"),
      h: copies[0]!.sha256,
      n: copies.length,
    }));
    const stored = await queryRows<{ id: string; h: string; state: string; deliveries: number }>(INSERT, [JSON.stringify(rows)]);
    const found = new Map(stored.map((r) => [r.h, r]));
    for (const [hash, copies] of byHash) {
      const row = found.get(hash);
      if (!row) {
        for (const w of copies) w.reject(new Error("webhook insert returned no row"));
        continue;
      }
      // Each copy gets the row; all but one of the copies in a burst are duplicates.
      copies.forEach((w, i) => w.resolve({ id: row.id, duplicate: row.deliveries > copies.length - i, needsProcessing: row.state === "PENDING" }));
    }
  } catch (err) {
    for (const w of batch) w.reject(err);
  }
}
