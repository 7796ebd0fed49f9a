import { createHmac, randomBytes } from "node:crypto";
import { newNumericId, newUserNumber, newWamid, seededBytes } from "@/sim/ids";

// Builders for Cloud API webhook deliveries shaped as Meta sends them (META.md, "Webhook"): one builder per
// message type and status, an envelope that can batch many entries and changes, Meta's escaped-unicode JSON,
// and the X-Hub-Signature-256 value. Every builder has defaults, so `textMessage()` alone is a valid message.

// ------------------------------------------------------------------------------------------------ shapes

export interface WebhookMessage {
  from: string;
  id: string;
  timestamp: string;
  type: string;
  context?: { from: string; id: string };
  [field: string]: unknown;
}

export interface WebhookError {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
  href?: string;
}

export interface WebhookStatus {
  id: string;
  status: StatusKind;
  timestamp: string;
  recipient_id: string;
  conversation?: { id: string; expiration_timestamp?: string; origin: { type: string } };
  pricing?: { billable: boolean; pricing_model: string; category: string; type?: string };
  errors?: WebhookError[];
}

export interface WebhookContact {
  profile: { name: string };
  wa_id: string;
}

export interface ChangeValue {
  messaging_product: "whatsapp";
  metadata: { display_phone_number: string; phone_number_id: string };
  contacts?: WebhookContact[];
  messages?: WebhookMessage[];
  statuses?: WebhookStatus[];
  errors?: WebhookError[];
}

export interface WebhookDelivery {
  object: "whatsapp_business_account";
  entry: Array<{ id: string; changes: Array<{ value: ChangeValue; field: "messages" }> }>;
}

// ---------------------------------------------------------------------------------------------- helpers

/** Meta's timestamps: epoch seconds as a string. Numbers are taken as epoch seconds. */
export function epochSeconds(at: Date | number | string = new Date()): string {
  if (typeof at === "string") return at;
  if (typeof at === "number") return String(Math.floor(at));
  return String(Math.floor(at.getTime() / 1000));
}

interface Common {
  from?: string;
  id?: string;
  timestamp?: Date | number | string;
  /** The business message this one replies to (quoted replies, button and list replies). */
  context?: { from: string; id: string };
}

function base(type: string, o: Common): WebhookMessage {
  const from = o.from ?? newUserNumber();
  const message: WebhookMessage = { from, id: o.id ?? newWamid(from), timestamp: epochSeconds(o.timestamp), type };
  if (o.context) message.context = o.context;
  return message;
}

interface MediaFields {
  mediaId?: string;
  mimeType?: string;
  sha256?: string;
}

function media(o: MediaFields, defaultMime: string): { id: string; mime_type: string; sha256: string } {
  return { id: o.mediaId ?? newNumericId(16), mime_type: o.mimeType ?? defaultMime, sha256: o.sha256 ?? randomBytes(32).toString("base64") };
}

const NAMES = ["Noa Levi", "Sheena Nelson", "Omar Haddad", "Maria Souza", "Kenji Sato", "Ana Novak", "יעל כהן", "Priya Shah"];

/** A stable profile name for a user number, as it would appear in the `contacts` array. */
export function profileNameFor(waId: string): string {
  return NAMES[seededBytes(`name:${waId}`)[0]! % NAMES.length]!;
}

// --------------------------------------------------------------------------------------------- messages

export function textMessage(o: Common & { body?: string } = {}): WebhookMessage {
  return { ...base("text", o), text: { body: o.body ?? "Hi! Is the shop open today? 🙂" } };
}

export function imageMessage(o: Common & MediaFields & { caption?: string } = {}): WebhookMessage {
  return { ...base("image", o), image: { ...(o.caption != null ? { caption: o.caption } : {}), ...media(o, "image/jpeg") } };
}

export function audioMessage(o: Common & MediaFields & { voice?: boolean } = {}): WebhookMessage {
  return { ...base("audio", o), audio: { ...media(o, "audio/ogg; codecs=opus"), voice: o.voice ?? true } };
}

export function videoMessage(o: Common & MediaFields & { caption?: string } = {}): WebhookMessage {
  return { ...base("video", o), video: { ...(o.caption != null ? { caption: o.caption } : {}), ...media(o, "video/mp4") } };
}

export function documentMessage(o: Common & MediaFields & { filename?: string; caption?: string } = {}): WebhookMessage {
  const doc = { ...(o.caption != null ? { caption: o.caption } : {}), filename: o.filename ?? "invoice-2041.pdf", ...media(o, "application/pdf") };
  return { ...base("document", o), document: doc };
}

export function stickerMessage(o: Common & MediaFields & { animated?: boolean } = {}): WebhookMessage {
  return { ...base("sticker", o), sticker: { ...media(o, "image/webp"), animated: o.animated ?? false } };
}

export function locationMessage(
  o: Common & { latitude?: number; longitude?: number; name?: string; address?: string; url?: string } = {},
): WebhookMessage {
  const location: Record<string, unknown> = { latitude: o.latitude ?? 32.0853, longitude: o.longitude ?? 34.7818 };
  if (o.name != null || o.latitude == null) location.name = o.name ?? "Dizengoff Center";
  if (o.address != null || o.latitude == null) location.address = o.address ?? "50 Dizengoff St, Tel Aviv";
  if (o.url != null) location.url = o.url;
  return { ...base("location", o), location };
}

export function contactsMessage(o: Common & { contacts?: unknown[] } = {}): WebhookMessage {
  const card = {
    name: { formatted_name: "Dana Cohen", first_name: "Dana", last_name: "Cohen" },
    phones: [{ phone: "+1 555 010 2030", wa_id: "15550102030", type: "CELL" }],
    emails: [{ email: "dana@example.com", type: "WORK" }],
    org: { company: "Cohen Plumbing" },
  };
  return { ...base("contacts", o), contacts: o.contacts ?? [card] };
}

function businessContext(o: Common): Common {
  // Replies to buttons and lists always point at the business message that carried them.
  return { ...o, context: o.context ?? { from: "15550783881", id: newWamid("15550783881") } };
}

export function interactiveButtonReply(o: Common & { replyId?: string; title?: string } = {}): WebhookMessage {
  return {
    ...base("interactive", businessContext(o)),
    interactive: { type: "button_reply", button_reply: { id: o.replyId ?? "confirm_yes", title: o.title ?? "Yes, confirm" } },
  };
}

export function interactiveListReply(o: Common & { replyId?: string; title?: string; description?: string } = {}): WebhookMessage {
  const reply = { id: o.replyId ?? "slot_0930", title: o.title ?? "09:30", description: o.description ?? "Tomorrow morning" };
  return { ...base("interactive", businessContext(o)), interactive: { type: "list_reply", list_reply: reply } };
}

/** A tap on a template's quick-reply button. */
export function buttonMessage(o: Common & { text?: string; payload?: string } = {}): WebhookMessage {
  return { ...base("button", businessContext(o)), button: { payload: o.payload ?? "STOP_PROMOTIONS", text: o.text ?? "Stop promotions" } };
}

/** `emoji: ""` is a removed reaction: Meta then sends the reaction without an emoji. */
export function reactionMessage(o: Common & { messageId?: string; emoji?: string } = {}): WebhookMessage {
  const reaction: Record<string, unknown> = { message_id: o.messageId ?? newWamid("15550783881") };
  const emoji = o.emoji ?? "👍";
  if (emoji !== "") reaction.emoji = emoji;
  return { ...base("reaction", o), reaction };
}

export function orderMessage(
  o: Common & {
    catalogId?: string;
    text?: string;
    items?: Array<{ product_retailer_id: string; quantity: number; item_price: number; currency: string }>;
  } = {},
): WebhookMessage {
  const items = o.items ?? [
    { product_retailer_id: "SKU-1001", quantity: 2, item_price: 12.5, currency: "USD" },
    { product_retailer_id: "SKU-2040", quantity: 1, item_price: 30, currency: "USD" },
  ];
  return { ...base("order", o), order: { catalog_id: o.catalogId ?? "987654321012345", text: o.text ?? "Please deliver after 5pm", product_items: items } };
}

/** The user moved to a new number. System messages come without a `contacts` array. */
export function systemUserChangedNumber(o: Common & { newWaId?: string; profileName?: string } = {}): WebhookMessage {
  const msg = base("system", o);
  const newWaId = o.newWaId ?? newUserNumber();
  const name = o.profileName ?? profileNameFor(msg.from);
  return { ...msg, system: { body: `User ${name} changed from ${msg.from} to ${newWaId}`, wa_id: newWaId, type: "user_changed_number" } };
}

/** The user's WhatsApp user id changed. No `contacts` array either. */
export function systemUserChangedUserId(o: Common & { newUserId?: string; profileName?: string } = {}): WebhookMessage {
  const msg = base("system", o);
  const newUserId = o.newUserId ?? `US.${newNumericId(16)}`;
  const name = o.profileName ?? profileNameFor(msg.from);
  return { ...msg, system: { body: `User ${name} changed their user id`, user_id: newUserId, type: "user_changed_user_id" } };
}

/** A message type the Cloud API does not support (e.g. a poll): `errors[{ code: 131051 }]`. */
export function unsupportedMessage(o: Common = {}): WebhookMessage {
  const error: WebhookError = {
    code: 131051,
    title: "Message type unknown",
    message: "Message type unknown",
    error_data: { details: "Message type is currently not supported." },
  };
  return { ...base("unsupported", o), errors: [error] };
}

export const MESSAGE_VARIANTS = {
  text: textMessage,
  image: imageMessage,
  audio: audioMessage,
  video: videoMessage,
  document: documentMessage,
  sticker: stickerMessage,
  location: locationMessage,
  contacts: contactsMessage,
  interactive_button_reply: interactiveButtonReply,
  interactive_list_reply: interactiveListReply,
  button: buttonMessage,
  reaction: reactionMessage,
  order: orderMessage,
  system_user_changed_number: systemUserChangedNumber,
  system_user_changed_user_id: systemUserChangedUserId,
  unsupported: unsupportedMessage,
} as const;

export type MessageVariant = keyof typeof MESSAGE_VARIANTS;

/** Any variant with only the common options (sender, id, time). */
export function buildMessage(variant: MessageVariant, o: Common = {}): WebhookMessage {
  return MESSAGE_VARIANTS[variant](o);
}

// --------------------------------------------------------------------------------------------- statuses

export type StatusKind = "sent" | "delivered" | "read" | "played" | "failed";

export interface StatusOptions {
  /** The business message this status is about. */
  wamid?: string;
  recipientId?: string;
  timestamp?: Date | number | string;
  /** Include `conversation` and `pricing` (optional in Meta's payloads, being phased out). */
  billing?: boolean;
  /** For `failed`: the reason (defaults to 131026 Message undeliverable). */
  error?: { code: number; title?: string; message?: string; details?: string };
}

export function statusUpdate(status: StatusKind, o: StatusOptions = {}): WebhookStatus {
  const recipientId = o.recipientId ?? newUserNumber();
  const update: WebhookStatus = { id: o.wamid ?? newWamid(recipientId), status, timestamp: epochSeconds(o.timestamp), recipient_id: recipientId };
  if (o.billing && (status === "sent" || status === "delivered")) {
    update.conversation = { id: seededBytes(`conv:${recipientId}`).subarray(0, 16).toString("hex"), origin: { type: "service" } };
    if (status === "sent") update.conversation.expiration_timestamp = epochSeconds(Math.floor(Date.now() / 1000) + 86_400);
    update.pricing = { billable: true, pricing_model: "PMP", category: "service", type: "regular" };
  }
  if (status === "failed") {
    const e = o.error ?? { code: 131026, title: "Message undeliverable" };
    const title = e.title ?? "Message failed to send";
    update.errors = [{ code: e.code, title, message: e.message ?? title, error_data: { details: e.details ?? title } }];
  }
  return update;
}

export const sentStatus = (o: StatusOptions = {}) => statusUpdate("sent", o);
export const deliveredStatus = (o: StatusOptions = {}) => statusUpdate("delivered", o);
export const readStatus = (o: StatusOptions = {}) => statusUpdate("read", o);
export const playedStatus = (o: StatusOptions = {}) => statusUpdate("played", o);
export const failedStatus = (o: StatusOptions = {}) => statusUpdate("failed", o);

// --------------------------------------------------------------------------------------------- envelope

export interface ChangeInput {
  phoneNumberId: string;
  displayPhoneNumber: string;
  messages?: WebhookMessage[];
  statuses?: WebhookStatus[];
  /** Defaults to one entry per distinct sender of the non-system messages. */
  contacts?: WebhookContact[];
  errors?: WebhookError[];
}

export type DeliveryInput = (ChangeInput & { wabaId: string }) | { entries: Array<{ wabaId: string; changes: ChangeInput[] }> };

function contactsFor(messages: WebhookMessage[]): WebhookContact[] {
  const senders = [...new Set(messages.filter((m) => m.type !== "system").map((m) => m.from))];
  return senders.map((waId) => ({ profile: { name: profileNameFor(waId) }, wa_id: waId }));
}

function buildValue(c: ChangeInput): ChangeValue {
  const value: ChangeValue = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: c.displayPhoneNumber.replace(/\D/g, ""), phone_number_id: c.phoneNumberId },
  };
  const contacts = c.contacts ?? contactsFor(c.messages ?? []);
  if (contacts.length > 0) value.contacts = contacts;
  if (c.messages?.length) value.messages = c.messages;
  if (c.statuses?.length) value.statuses = c.statuses;
  if (c.errors?.length) value.errors = c.errors;
  return value;
}

/** A whole delivery: one WABA and number, or `entries` for a batch across WABAs and numbers. */
export function buildDelivery(input: DeliveryInput): WebhookDelivery {
  const entries = "entries" in input ? input.entries : [{ wabaId: input.wabaId, changes: [input] }];
  return {
    object: "whatsapp_business_account",
    entry: entries.map((e) => ({ id: e.wabaId, changes: e.changes.map((c) => ({ value: buildValue(c), field: "messages" as const })) })),
  };
}

// ---------------------------------------------------------------------------------- wire form and signing

/**
 * JSON as Meta sends it: every non-ASCII UTF-16 code unit escaped as `\uXXXX` (an emoji becomes its
 * surrogate pair). Meta signs this escaped form, so a receiver that re-serialises the parsed body
 * computes a different HMAC: it must verify the raw bytes.
 */
export function serializeLikeMeta(value: unknown, options: { escapeSlashes?: boolean } = {}): string {
  const json = JSON.stringify(value).replace(/[\u0080-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return options.escapeSlashes ? json.replace(/\//g, "\\/") : json;
}

/** The X-Hub-Signature-256 header value for a raw body. */
export function signBody(raw: string | Buffer, appSecret: string): string {
  return `sha256=${createHmac("sha256", appSecret).update(raw).digest("hex")}`;
}

// ------------------------------------------------------------------------------------------ template changes

export interface TemplateChangeInput {
  /** Meta's template id: a JSON number in webhooks. */
  templateId: string | number;
  name: string;
  language: string;
}

/** A `message_template_status_update` delivery for a WABA: event APPROVED, REJECTED, PAUSED, DISABLED, … */
export function templateStatusDelivery(wabaId: string, o: TemplateChangeInput & { event: string; reason?: string | null; category?: string }) {
  const value = {
    event: o.event,
    message_template_id: typeof o.templateId === "string" ? Number(o.templateId) : o.templateId,
    message_template_name: o.name,
    message_template_language: o.language,
    reason: o.reason === undefined ? "NONE" : o.reason,
    ...(o.category ? { message_template_category: o.category } : {}),
  };
  return { object: "whatsapp_business_account" as const, entry: [{ id: wabaId, time: Math.floor(Date.now() / 1000), changes: [{ value, field: "message_template_status_update" }] }] };
}

/** A `message_template_quality_update` delivery for a WABA: GREEN, YELLOW, RED or UNKNOWN. */
export function templateQualityDelivery(wabaId: string, o: TemplateChangeInput & { quality: string; previous?: string }) {
  const value = {
    previous_quality_score: o.previous ?? "GREEN",
    new_quality_score: o.quality,
    message_template_id: typeof o.templateId === "string" ? Number(o.templateId) : o.templateId,
    message_template_name: o.name,
    message_template_language: o.language,
  };
  return { object: "whatsapp_business_account" as const, entry: [{ id: wabaId, time: Math.floor(Date.now() / 1000), changes: [{ value, field: "message_template_quality_update" }] }] };
}
