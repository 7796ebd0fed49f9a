import { describe, expect, it } from "vitest";
import { assertStrongPassword } from "@/lib/auth/assert-strong-password";

describe("assertStrongPassword", () => {
  it("refuses common and guessable passwords of any length, saying why", async () => {
    await expect(assertStrongPassword("1234567890")).rejects.toMatchObject({ code: "unprocessable_entity", message: expect.stringMatching(/^password: too easy to guess\. This is a frequently used password\./) });
    for (const weak of ["password123", "qwertyuiop", "Password1!", "aaaaaaaaaaaa", "iloveyou2024"]) {
      await expect(assertStrongPassword(weak), weak).rejects.toMatchObject({ message: expect.stringContaining("too easy to guess") });
    }
  }, 20_000);

  it("refuses the account's own details as a password", async () => {
    // Strong enough for a stranger, not as the workspace's own name.
    await expect(assertStrongPassword("levibakery2024")).resolves.toBeUndefined();
    await expect(assertStrongPassword("levibakery2024", ["dana@example.com", "Levi Bakery"])).rejects.toMatchObject({
      code: "unprocessable_entity",
      message: expect.stringContaining("personal or page related data"),
    });
    await expect(assertStrongPassword("danacohen1990!", ["dana.cohen@example.com", null])).rejects.toMatchObject({ code: "unprocessable_entity" });
  });

  it("refuses what is too short or too long before estimating", async () => {
    await expect(assertStrongPassword("kX9v!qL2")).rejects.toMatchObject({ message: "password: at least 10 characters" });
    await expect(assertStrongPassword("x".repeat(201))).rejects.toMatchObject({ message: "password: at most 200 characters" });
  });

  it("accepts passphrases and random passwords", async () => {
    for (const strong of ["correct horse battery", "kX9vYqL2mN", "tr0ub4dour&3 sandwich"]) {
      await expect(assertStrongPassword(strong), strong).resolves.toBeUndefined();
    }
  });
});
