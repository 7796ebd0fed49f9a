import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifySignature } from "@/lib/whatsapp/verify-signature";

const secret = "unit-test-app-secret";
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[]}],"x":"\\u05e9"}');
const hex = createHmac("sha256", secret).update(body).digest("hex");

describe("verifySignature", () => {
  it("accepts Meta's signature over the exact bytes", () => {
    expect(verifySignature(body, `sha256=${hex}`, secret)).toBe(true);
  });

  it("accepts upper-case hex (the bytes are what matter)", () => {
    expect(verifySignature(body, `sha256=${hex.toUpperCase()}`, secret)).toBe(true);
  });

  it.each([
    ["missing", null],
    ["empty", ""],
    ["no prefix", hex],
    ["wrong algorithm", `sha1=${hex}`],
    ["short", `sha256=${hex.slice(0, 20)}`],
    ["too long", `sha256=${hex}00`],
    ["non-hex", `sha256=${"z".repeat(64)}`],
    ["one bit off", `sha256=${hex.slice(0, 63)}${hex[63] === "0" ? "1" : "0"}`],
  ])("refuses a %s header", (_, header) => {
    expect(verifySignature(body, header, secret)).toBe(false);
  });

  it("refuses a signature made with another secret", () => {
    const other = createHmac("sha256", "another-secret").update(body).digest("hex");
    expect(verifySignature(body, `sha256=${other}`, secret)).toBe(false);
  });

  it("refuses the signature of the re-serialised JSON (Meta signs its escaped form)", () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString())));
    expect(reserialised.equals(body)).toBe(false);
    expect(verifySignature(reserialised, `sha256=${hex}`, secret)).toBe(false);
  });

  it("refuses everything when no secret is configured", () => {
    const unsigned = createHmac("sha256", "").update(body).digest("hex");
    expect(verifySignature(body, `sha256=${unsigned}`, "")).toBe(false);
  });
});
