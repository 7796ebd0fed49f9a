import type { WebhookMessage } from "@/lib/whatsapp/webhook-schema";

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === "object" ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

/** A short human-readable text for an inbound message of any type (list previews, search, activity). */
export function describeMessage(message: WebhookMessage): string | null {
  const m = message as Obj;
  const body = obj(m[message.type]);
  switch (message.type) {
    case "text":
      return str(body.body) ?? null;
    case "image":
    case "video":
    case "document":
      return str(body.caption) ?? str(body.filename) ?? `[${message.type}]`;
    case "audio":
      return body.voice ? "[voice message]" : "[audio]";
    case "sticker":
      return "[sticker]";
    case "location":
      return str(body.name) ?? str(body.address) ?? `[location ${body.latitude ?? "?"}, ${body.longitude ?? "?"}]`;
    case "contacts": {
      const names = (Array.isArray(m.contacts) ? m.contacts : []).map((c) => str(obj(obj(c).name).formatted_name)).filter(Boolean);
      return names.length ? `[contacts: ${names.join(", ")}]` : "[contacts]";
    }
    case "interactive":
      return str(obj(body.button_reply).title) ?? str(obj(body.list_reply).title) ?? str(obj(body.nfm_reply).body) ?? "[interactive]";
    case "button":
      return str(body.text) ?? str(body.payload) ?? "[button]";
    case "reaction":
      return str(body.emoji) ? `[reaction ${str(body.emoji)}]` : "[reaction removed]";
    case "order": {
      const items = Array.isArray(body.product_items) ? body.product_items.length : 0;
      return `[order: ${items} item${items === 1 ? "" : "s"}]`;
    }
    case "system":
      return str(body.body) ?? `[system: ${str(body.type) ?? "update"}]`;
    case "unsupported":
      return `[unsupported: ${str(obj(message.errors?.[0]).title) ?? "message type not supported"}]`;
    default:
      return `[${message.type}]`;
  }
}
