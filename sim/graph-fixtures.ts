import { createHash } from "node:crypto";
import { seededBytes, seededDigits } from "@/sim/ids";

// Made-up but stable details for any phone-number, node or media id. Derived from the id alone, so a bench
// can use 10,000 numbers without registering them, and two runs see the same names and numbers.
// Health defaults to good (CONNECTED, GREEN, AVAILABLE): degraded states are set explicitly with setNumber().

const BUSINESS_NAMES = [
  "Acme Bakery",
  "Blue Harbor Dental",
  "Cedar Street Books",
  "Delta Bike Repair",
  "Evergreen Florist",
  "Fjord Travel",
  "Golden Spoon Catering",
  "Harbor Yoga Studio",
  "Iris Optics",
  "Juniper Hardware",
] as const;

const MESSAGING_LIMITS = ["TIER_250", "TIER_2K", "TIER_10K", "TIER_100K", "TIER_UNLIMITED"] as const;

export interface NumberDetails {
  status: string;
  qualityRating: string;
  nameStatus: string;
  codeVerificationStatus: string;
  displayPhoneNumber: string;
  verifiedName: string;
  throughputLevel: string;
  messagingLimit: string;
  /** Health of the send path: AVAILABLE, LIMITED or BLOCKED. */
  canSendMessage: string;
  /** The WABA whose `phone_numbers` list it; null: whichever WABA is asked (so tests and benches need no setup). */
  wabaId: string | null;
}

function pick<T>(items: readonly T[], byte: number): T {
  return items[byte % items.length]!;
}

/** The number's details before any override. */
export function simulatedNumberDetails(phoneNumberId: string): NumberDetails {
  const b = seededBytes(`phone:${phoneNumberId}`);
  const d = seededDigits(`display:${phoneNumberId}`, 7);
  return {
    status: "CONNECTED",
    qualityRating: "GREEN",
    nameStatus: "APPROVED",
    codeVerificationStatus: "VERIFIED",
    displayPhoneNumber: `+1 555-${d.slice(0, 3)}-${d.slice(3)}`,
    verifiedName: pick(BUSINESS_NAMES, b[0]!),
    throughputLevel: b[1]! % 8 === 0 ? "HIGH" : "STANDARD",
    messagingLimit: pick(MESSAGING_LIMITS, b[2]!),
    canSendMessage: "AVAILABLE",
    wabaId: null,
  };
}

/** `GET /{phone-number-id}?fields=…` body, restricted to the requested fields as Graph does. */
export function phoneNumberBody(phoneNumberId: string, details: NumberDetails, fields: string[]): Record<string, unknown> {
  const all: Record<string, unknown> = {
    status: details.status,
    quality_rating: details.qualityRating,
    name_status: details.nameStatus,
    code_verification_status: details.codeVerificationStatus,
    display_phone_number: details.displayPhoneNumber,
    verified_name: details.verifiedName,
    throughput: { level: details.throughputLevel },
    whatsapp_business_manager_messaging_limit: details.messagingLimit,
    platform_type: "CLOUD_API",
    is_official_business_account: false,
  };
  const body: Record<string, unknown> = {};
  for (const field of fields) if (field in all) body[field] = all[field];
  body.id = phoneNumberId;
  return body;
}

/** `GET /{node}?fields=health_status` body. Entities other than the node get ids derived from it. */
export function healthBody(nodeId: string, canSendMessage: string, appId: string): Record<string, unknown> {
  const nodeEntity: Record<string, unknown> = { entity_type: "PHONE_NUMBER", id: nodeId, can_send_message: canSendMessage };
  if (canSendMessage !== "AVAILABLE") {
    nodeEntity.errors = [
      {
        error_code: 141000,
        error_description: "Messaging from this phone number is limited (simulated).",
        possible_solution: "Check the number's quality rating and policy notices in WhatsApp Manager.",
      },
    ];
  }
  return {
    health_status: {
      can_send_message: canSendMessage,
      entities: [
        nodeEntity,
        { entity_type: "WABA", id: `1${seededDigits(`waba:${nodeId}`, 14)}`, can_send_message: "AVAILABLE" },
        { entity_type: "BUSINESS", id: `1${seededDigits(`business:${nodeId}`, 14)}`, can_send_message: "AVAILABLE" },
        { entity_type: "APP", id: appId, can_send_message: "AVAILABLE" },
      ],
    },
    id: nodeId,
  };
}

const MEDIA_TYPES = [
  { mime: "image/jpeg", size: 48_213 },
  { mime: "audio/ogg; codecs=opus", size: 9_874 },
  { mime: "video/mp4", size: 204_551 },
  { mime: "application/pdf", size: 88_410 },
  { mime: "image/webp", size: 21_337 },
] as const;

/** The bytes served for a media id: filler of a realistic size, so sha256 and file_size agree with the body. */
export function mediaContent(mediaId: string): { mimeType: string; bytes: Buffer } {
  const seed = seededBytes(`media:${mediaId}`);
  const kind = pick(MEDIA_TYPES, seed[0]!);
  const bytes = Buffer.alloc(kind.size);
  for (let i = 0; i < bytes.length; i += seed.length) seed.copy(bytes, i);
  return { mimeType: kind.mime, bytes };
}

/** `GET /{media-id}` body. The URL points back at the simulator and, like Meta's, carries an expiry. */
export function mediaBody(mediaId: string, baseUrl: string): Record<string, unknown> {
  const { mimeType, bytes } = mediaContent(mediaId);
  const expires = Math.floor(Date.now() / 1000) + 300;
  return {
    messaging_product: "whatsapp",
    url: `${baseUrl}/media/download/${encodeURIComponent(mediaId)}?ext=${expires}`,
    mime_type: mimeType,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    file_size: bytes.length,
    id: mediaId,
  };
}

/** A message template as `GET /{waba-id}/message_templates` lists it. */
export interface SimTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  components: unknown[];
  quality_score?: { score: string; date?: number };
  rejected_reason?: string;
}

/**
 * What a WABA lists when no test set its templates: four APPROVED, one PENDING and one REJECTED, with ids
 * derived from the WABA so two runs (and two WABAs) agree on them and never collide.
 */
export function defaultTemplates(wabaId: string): SimTemplate[] {
  const id = (name: string) => `1${seededDigits(`template:${wabaId}:${name}`, 14)}`;
  const body = (text: string) => [{ type: "BODY", text }];
  const approved = (name: string, language: string, category: string, components: unknown[]): SimTemplate => ({
    id: id(`${name}:${language}`),
    name,
    language,
    status: "APPROVED",
    category,
    components,
    quality_score: { score: "GREEN" },
    rejected_reason: "NONE",
  });
  return [
    approved("hello_world", "en_US", "UTILITY", [{ type: "HEADER", format: "TEXT", text: "Hello World" }, ...body("Welcome and congratulations!")]),
    approved("order_update", "en_US", "UTILITY", body("Hi {{1}}, your order {{2}} is on its way.")),
    approved("order_update", "es", "UTILITY", body("Hola {{1}}, tu pedido {{2}} está en camino.")),
    approved("appointment_reminder", "en_US", "UTILITY", body("Reminder: your appointment is on {{1}} at {{2}}.")),
    { id: id("spring_sale:en_US"), name: "spring_sale", language: "en_US", status: "PENDING", category: "MARKETING", components: body("Spring sale: {{1}} off!"), rejected_reason: "NONE" },
    { id: id("free_money:en_US"), name: "free_money", language: "en_US", status: "REJECTED", category: "MARKETING", components: body("Click here for free money"), rejected_reason: "PROMOTIONAL" },
  ];
}
