import { describe, expect, it } from "vitest";
import { describeSendBody } from "@/lib/conversations/list-conversation-sends";

describe("describeSendBody", () => {
  it("shows a text send's words and names a template", () => {
    expect(describeSendBody("text", { body: "See you at 6", preview_url: false })).toBe("See you at 6");
    expect(describeSendBody("template", { name: "order_update", language: { code: "en_US", policy: "deterministic" }, components: [] })).toBe("[template: order_update]");
  });

  it("falls back to the type for media and for bodies not in Graph's shape", () => {
    expect(describeSendBody("image", { link: "https://example.test/cake.jpg" })).toBe("[image]");
    expect(describeSendBody("text", { text: "not Graph's shape" })).toBe("[text]");
    expect(describeSendBody("template", null)).toBe("[template]");
  });
});
