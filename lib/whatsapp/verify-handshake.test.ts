import { describe, expect, it } from "vitest";
import { verifyHandshake } from "@/lib/whatsapp/verify-handshake";

const params = (q: string) => new URLSearchParams(q);

describe("verifyHandshake", () => {
  it("echoes the challenge for mode=subscribe and the right token", () => {
    expect(verifyHandshake(params("hub.mode=subscribe&hub.verify_token=tok&hub.challenge=1158201444"), "tok")).toBe("1158201444");
  });

  it.each([
    ["a wrong token", "hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1", "tok"],
    ["another mode", "hub.mode=unsubscribe&hub.verify_token=tok&hub.challenge=1", "tok"],
    ["no challenge", "hub.mode=subscribe&hub.verify_token=tok", "tok"],
    ["no token", "hub.mode=subscribe&hub.challenge=1", "tok"],
    ["no configured token", "hub.mode=subscribe&hub.verify_token=&hub.challenge=1", undefined],
  ])("refuses %s", (_, query, configured) => {
    expect(verifyHandshake(params(query), configured)).toBeNull();
  });
});
