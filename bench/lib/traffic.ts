import { createHash } from "node:crypto";
import type { OutgoingHttpHeaders } from "node:http";
import type pg from "pg";
import { seedOutboundMessages, type Customer } from "@/bench/lib/database";
import { newWamid } from "@/sim/ids";
import { buildDelivery, buildMessage, serializeLikeMeta, signBody, statusUpdate, type MessageVariant, type StatusKind, type WebhookMessage, type WebhookStatus } from "@/sim/webhook-payloads";

// The traffic of one busy WhatsApp number: for every inbound message delivery, three status
// deliveries (sent, delivered, read) about messages the business sent earlier — so 320 deliveries/s
// is 80 messages/s, the default per-number limit. Bodies are built, serialised like Meta and signed
// before any timed window, so the load generator only writes prepared bytes.

export interface PreparedRequest {
  method: "GET" | "POST";
  path: string;
  headers: OutgoingHttpHeaders;
  body?: Buffer;
  /** sha256 of the body: the key the app stores it under ("bodySha256"). */
  sha256?: string;
  kind?: "message" | "status";
}

export const WEBHOOK_PATH = "/api/v1/webhooks/whatsapp";

export function getRequest(path: string): PreparedRequest {
  return { method: "GET", path, headers: {} };
}

export function signedPost(path: string, raw: string, appSecret: string, kind?: "message" | "status"): PreparedRequest {
  const body = Buffer.from(raw, "utf8");
  return {
    method: "POST",
    path,
    body,
    sha256: createHash("sha256").update(body).digest("hex"),
    kind,
    headers: {
      "content-type": "application/json",
      "content-length": body.byteLength,
      "user-agent": "facebookexternalua",
      "x-hub-signature-256": signBody(body, appSecret),
    },
  };
}

export interface TrafficNumber {
  appSecret: string;
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
  workspaceId: string;
  connectionId: string;
}

// A status for wamid k is sent in group k + offset: each outbound message goes sent → delivered →
// read over a few groups, as a real one does over seconds.
const STATUS_LAG: Array<[StatusKind, number]> = [
  ["sent", 0],
  ["delivered", 4],
  ["read", 8],
];

export class TrafficGenerator {
  private group = 0;
  private readonly outbound: string[] = [];
  private seeded = 0;

  constructor(
    private readonly number: TrafficNumber,
    private readonly customers: Customer[],
    private readonly messageTypes: MessageVariant[] = ["text"],
  ) {}

  /** The next `count` deliveries, in arrival order (message, sent, delivered, read, message, …). */
  next(count: number): PreparedRequest[] {
    const out: PreparedRequest[] = [];
    while (out.length < count) {
      const g = this.group++;
      const from = this.customers[g % this.customers.length]!;
      out.push(this.delivery({ messages: [this.message(g, from.waId)] }, "message"));
      for (const [kind, lag] of STATUS_LAG) {
        if (out.length >= count) break;
        const k = g - lag;
        if (k < 0) continue; // the first groups have nothing older to report on yet
        out.push(this.delivery({ statuses: [this.status(kind, k)] }, "status"));
      }
    }
    return out;
  }

  /** The next `count` deliveries of one inbound message each, no statuses (the processing-rate target). */
  nextMessages(count: number): PreparedRequest[] {
    return Array.from({ length: count }, () => {
      const g = this.group++;
      return this.delivery({ messages: [this.message(g, this.customers[g % this.customers.length]!.waId)] }, "message");
    });
  }

  /**
   * Signed status deliveries with a timestamp that fails validation: the route stores them as
   * FAILED (malformed) and schedules no processing — the ingest path alone, for diagnosis.
   */
  nextMalformed(count: number): PreparedRequest[] {
    return Array.from({ length: count }, (_, i) => {
      const customer = this.customers[i % this.customers.length]!;
      const status = statusUpdate("delivered", { wamid: newWamid(customer.waId), recipientId: customer.waId, billing: true, timestamp: "not-epoch-seconds" });
      return this.delivery({ statuses: [status] }, "status");
    });
  }

  /** Inserts the outbound messages that statuses built so far refer to (call before sending them). */
  async seed(pool: pg.Pool): Promise<void> {
    const fresh = this.outbound.slice(this.seeded).map((wamid, i) => ({ wamid, customer: this.customerOf(this.seeded + i) }));
    await seedOutboundMessages(pool, this.number, fresh);
    this.seeded = this.outbound.length;
  }

  private customerOf(k: number): Customer {
    return this.customers[(k * 7 + 3) % this.customers.length]!;
  }

  private message(g: number, from: string): WebhookMessage {
    return buildMessage(this.messageTypes[g % this.messageTypes.length]!, { from });
  }

  private status(kind: StatusKind, k: number): WebhookStatus {
    while (this.outbound.length <= k) this.outbound.push(newWamid(this.customerOf(this.outbound.length).waId));
    return statusUpdate(kind, { wamid: this.outbound[k], recipientId: this.customerOf(k).waId, billing: kind !== "read" });
  }

  private delivery(change: { messages?: WebhookMessage[]; statuses?: WebhookStatus[] }, kind: "message" | "status"): PreparedRequest {
    const body = buildDelivery({ wabaId: this.number.wabaId, phoneNumberId: this.number.phoneNumberId, displayPhoneNumber: this.number.displayPhoneNumber, ...change });
    return signedPost(WEBHOOK_PATH, serializeLikeMeta(body), this.number.appSecret, kind);
  }
}
