import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { prisma } from "@/lib/db/client";
import { buildDelivery, serializeLikeMeta, signBody, textMessage } from "@/sim/webhook-payloads";
import { runAfterCallbacks } from "@/tests/helpers/after-queue";
import { postWebhook } from "@/tests/helpers/webhook-harness";

// Thousands of random and malformed bodies, signed and unsigned: never a 5xx, nothing unsigned
// stored, and every signed one stored exactly (malformed ones flagged, not lost).

afterEach(async () => {
  await runAfterCallbacks();
});

const secret = () => process.env.WHATSAPP_APP_SECRET!;

// Bodies from raw bytes to near-valid envelopes with random holes.
const nearlyValid = fc
  .record({
    object: fc.oneof(fc.constant("whatsapp_business_account"), fc.string()),
    entryId: fc.oneof(fc.string(), fc.constant(""), fc.integer().map(String)),
    field: fc.oneof(fc.constant("messages"), fc.string()),
    phoneNumberId: fc.oneof(fc.constant(undefined), fc.string(), fc.integer().map(String)),
    messages: fc.option(fc.array(fc.anything(), { maxLength: 3 })),
    statuses: fc.option(fc.array(fc.anything(), { maxLength: 3 })),
  })
  .map((r) =>
    JSON.stringify({
      object: r.object,
      entry: [{ id: r.entryId, changes: [{ field: r.field, value: { metadata: { phone_number_id: r.phoneNumberId }, messages: r.messages, statuses: r.statuses } }] }],
    }),
  );
const validDelivery = fc.constant(null).map(() => serializeLikeMeta(buildDelivery({ wabaId: "1", phoneNumberId: "2", displayPhoneNumber: "3", messages: [textMessage()] })));
const body = fc.oneof(fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)), fc.string({ unit: "binary" }), fc.json(), nearlyValid, validDelivery);
const badSignature = fc.oneof(
  fc.constant(null),
  fc.string(),
  fc.string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 }).map((h) => `sha256=${h}`),
  fc.string({ maxLength: 80 }).map((h) => `sha256=${h}`),
);

describe("random and malformed bodies", () => {
  it("unsigned or wrongly signed: always 401, nothing stored", async () => {
    const before = await prisma.webhookEvent.count();
    await fc.assert(
      fc.asyncProperty(body, badSignature, async (raw, signature) => {
        const res = await postWebhook(typeof raw === "string" ? raw : new Uint8Array(raw), signature);
        expect(res.status).toBe(401);
      }),
      { numRuns: 1500 },
    );
    expect(await prisma.webhookEvent.count()).toBe(before);
  });

  it("signed: always 200 and stored byte for byte, whatever the content", async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const bytes = typeof raw === "string" ? Buffer.from(raw) : Buffer.from(raw);
        const res = await postWebhook(new Uint8Array(bytes), signBody(bytes, secret()));
        expect(res.status).toBe(200);
        seen.add(bytes.toString("base64"));
      }),
      { numRuns: 1500 },
    );
    // The drains started after each response take everything that was stored.
    await runAfterCallbacks();
    const rows = await prisma.webhookEvent.findMany({ select: { rawBody: true, state: true } });
    const stored = new Set(rows.map((r) => Buffer.from(r.rawBody).toString("base64")));
    for (const b of seen) expect(stored.has(b)).toBe(true);
    // processing never leaves anything half-done: each one is settled one way or the other
    expect(rows.filter((r) => r.state === "PENDING" || r.state === "PROCESSING")).toEqual([]);
  });
});
