import { z } from "zod";
import {
  messagesValueSchema,
  templateQualityValueSchema,
  templateStatusValueSchema,
  webhookEnvelopeSchema,
  type WebhookError,
  type WebhookMessage,
  type WebhookStatus,
} from "@/lib/whatsapp/webhook-schema";

/** A template's new status or quality, as a template webhook tells it (lib/templates/apply-template-updates.ts). */
export type TemplateUpdate =
  | { kind: "status"; metaTemplateId: string; name: string; language: string; event: string; reason: string | null; category: string | null }
  | { kind: "quality"; metaTemplateId: string; name: string; language: string; quality: string };

/** One thing a delivery tells us. A delivery's items keep their order, so progress is an index. */
export type DeliveryItem =
  | { kind: "message"; wabaId: string; phoneNumberId: string; message: WebhookMessage; profileName: string | null }
  | { kind: "status"; wabaId: string; phoneNumberId: string; status: WebhookStatus }
  | { kind: "error"; wabaId: string; phoneNumberId: string; error: WebhookError }
  // Every other change (an activity event); a well-formed template change also carries its update.
  | { kind: "change"; wabaId: string; field: string; value: unknown; template?: TemplateUpdate };

export type ParsedDelivery = { ok: true; items: DeliveryItem[]; wabaIds: string[]; phoneNumberIds: string[] } | { ok: false; error: string };

/**
 * Parses a stored delivery's bytes once into its items: every message (with its sender's profile
 * name), status and error of every `messages` change, and every other change (account updates,
 * quality, templates…). Malformed — not JSON, not Meta's envelope, or a `messages` change that is
 * not well-formed — gives a readable reason instead.
 */
export function parseDelivery(rawBody: Uint8Array): ParsedDelivery {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString("utf8"));
  } catch {
    return { ok: false, error: "body is not valid JSON" };
  }
  const envelope = webhookEnvelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, error: z.prettifyError(envelope.error).slice(0, 2000) };

  const items: DeliveryItem[] = [];
  const wabaIds = new Set<string>();
  const phoneNumberIds = new Set<string>();
  for (const entry of envelope.data.entry) {
    const wabaId = entry.id;
    wabaIds.add(wabaId);
    for (const change of entry.changes) {
      if (change.field !== "messages") {
        const template = parseTemplateUpdate(change.field, change.value);
        items.push({ kind: "change", wabaId, field: change.field, value: change.value, ...(template ? { template } : {}) });
        continue;
      }
      const parsed = messagesValueSchema.safeParse(change.value);
      if (!parsed.success) return { ok: false, error: z.prettifyError(parsed.error).slice(0, 2000) };
      const value = parsed.data;
      const phoneNumberId = value.metadata.phone_number_id;
      phoneNumberIds.add(phoneNumberId);
      const names = new Map((value.contacts ?? []).map((c) => [c.wa_id, c.profile?.name ?? null]));
      for (const message of value.messages ?? []) items.push({ kind: "message", wabaId, phoneNumberId, message, profileName: names.get(message.from) ?? null });
      for (const status of value.statuses ?? []) items.push({ kind: "status", wabaId, phoneNumberId, status });
      for (const error of value.errors ?? []) items.push({ kind: "error", wabaId, phoneNumberId, error });
    }
  }
  return { ok: true, items, wabaIds: [...wabaIds], phoneNumberIds: [...phoneNumberIds] };
}

/**
 * The update a template change carries, or null (another field, or a template change we cannot read: it
 * still becomes an activity event, and the scheduled sync corrects the row).
 */
function parseTemplateUpdate(field: string, value: unknown): TemplateUpdate | null {
  if (field === "message_template_status_update") {
    const parsed = templateStatusValueSchema.safeParse(value);
    if (!parsed.success) return null;
    const v = parsed.data;
    return {
      kind: "status",
      metaTemplateId: v.message_template_id,
      name: v.message_template_name,
      language: v.message_template_language,
      event: v.event.toUpperCase(),
      // Meta sends reason "NONE" with approvals.
      reason: v.reason && v.reason !== "NONE" ? v.reason : null,
      category: v.message_template_category ?? null,
    };
  }
  if (field === "message_template_quality_update") {
    const parsed = templateQualityValueSchema.safeParse(value);
    if (!parsed.success) return null;
    const v = parsed.data;
    return { kind: "quality", metaTemplateId: v.message_template_id, name: v.message_template_name, language: v.message_template_language, quality: v.new_quality_score.toUpperCase() };
  }
  return null;
}
