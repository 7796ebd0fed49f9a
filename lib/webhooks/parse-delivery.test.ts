import { describe, expect, it } from "vitest";
import { parseDelivery } from "@/lib/webhooks/parse-delivery";

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const delivery = (field: string, value: unknown) => bytes({ object: "whatsapp_business_account", entry: [{ id: "555", time: 1, changes: [{ field, value }] }] });

describe("parseDelivery: template changes", () => {
  it("types a status update: Meta's numeric id as a string, the event upper-cased, reason NONE as none", () => {
    const parsed = parseDelivery(
      delivery("message_template_status_update", { event: "approved", message_template_id: 806312974732579, message_template_name: "order_update", message_template_language: "en_US", reason: "NONE" }),
    );
    expect(parsed).toMatchObject({
      ok: true,
      wabaIds: ["555"],
      items: [
        {
          kind: "change",
          wabaId: "555",
          field: "message_template_status_update",
          template: { kind: "status", metaTemplateId: "806312974732579", name: "order_update", language: "en_US", event: "APPROVED", reason: null, category: null },
        },
      ],
    });
  });

  it("types a quality update", () => {
    const parsed = parseDelivery(
      delivery("message_template_quality_update", { previous_quality_score: "GREEN", new_quality_score: "yellow", message_template_id: "42", message_template_name: "n", message_template_language: "es" }),
    );
    expect(parsed).toMatchObject({ ok: true, items: [{ template: { kind: "quality", metaTemplateId: "42", name: "n", language: "es", quality: "YELLOW" } }] });
  });

  it("keeps an unreadable template change as a plain change (an activity event), never a malformed delivery", () => {
    const parsed = parseDelivery(delivery("message_template_status_update", { event: "PAUSED" }));
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.items).toHaveLength(1);
    expect(parsed.items[0]).not.toHaveProperty("template");
    const other = parseDelivery(delivery("account_update", { event: "VERIFIED_ACCOUNT" }));
    expect(other.ok && other.items[0]).not.toHaveProperty("template");
  });
});
