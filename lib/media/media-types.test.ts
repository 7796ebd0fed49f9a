import { describe, expect, it } from "vitest";
import { baseMimeType, bytesMatchType, MAX_MEDIA_BYTES, MEDIA_RULES } from "@/lib/media/media-types";

describe("media types", () => {
  it("drops parameters and case from a MIME type", () => {
    expect(baseMimeType("Audio/OGG; codecs=opus")).toBe("audio/ogg");
    expect(baseMimeType("")).toBe("");
  });

  it("bounds each kind as Meta does, the largest being a 100 MB document", () => {
    expect(MEDIA_RULES["image/png"]).toMatchObject({ kind: "image", maxBytes: 5 * 1024 * 1024 });
    expect(MEDIA_RULES["video/mp4"]).toMatchObject({ kind: "video", maxBytes: 16 * 1024 * 1024 });
    expect(MEDIA_RULES["image/gif"]).toBeUndefined();
    expect(MAX_MEDIA_BYTES).toBe(100 * 1024 * 1024);
  });

  it("checks the first bytes of the types that have a signature, and only those", () => {
    const bytes = (...b: number[]) => new Uint8Array(b);
    expect(bytesMatchType("image/png", bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a))).toBe(true);
    expect(bytesMatchType("image/png", bytes(0xff, 0xd8, 0xff))).toBe(false);
    expect(bytesMatchType("image/jpeg", bytes(0xff, 0xd8, 0xff, 0xe0))).toBe(true);
    expect(bytesMatchType("application/pdf", new TextEncoder().encode("%PDF-1.7"))).toBe(true);
    expect(bytesMatchType("application/pdf", new TextEncoder().encode("<html>"))).toBe(false);
    expect(bytesMatchType("image/webp", new TextEncoder().encode("RIFF\x00\x00\x00\x00WEBPVP8 "))).toBe(true);
    expect(bytesMatchType("image/webp", new TextEncoder().encode("RIFF\x00\x00\x00\x00WAVEfmt "))).toBe(false);
    expect(bytesMatchType("text/plain", bytes())).toBe(true);
  });
});
