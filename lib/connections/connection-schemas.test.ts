import { describe, expect, it } from "vitest";
import { connectNumberSchema, healthTimelineQuerySchema, updateConnectionSettingsSchema } from "@/lib/connections/connection-schemas";

const valid = { wabaId: "102290129340398", phoneNumberId: "106540352242922", accessToken: "EAAG" + "a".repeat(60) };

describe("connectNumberSchema", () => {
  it("accepts numeric ids and a token, trimming spaces pasted around them", () => {
    expect(connectNumberSchema.parse({ ...valid, wabaId: ` ${valid.wabaId} `, accessToken: ` ${valid.accessToken}\n` })).toEqual(valid);
  });

  it("refuses ids that are not numeric and tokens that cannot be Meta's", () => {
    expect(connectNumberSchema.safeParse({ ...valid, phoneNumberId: "123/messages" }).success).toBe(false);
    expect(connectNumberSchema.safeParse({ ...valid, wabaId: "" }).success).toBe(false);
    expect(connectNumberSchema.safeParse({ ...valid, accessToken: "short" }).success).toBe(false);
    expect(connectNumberSchema.safeParse({ ...valid, accessToken: "EAAG abc def ghi jkl mno pqr" }).success).toBe(false);
  });

  it("never echoes the token in its error messages", () => {
    const secret = "EAAG" + "b".repeat(30) + " x";
    const result = connectNumberSchema.safeParse({ ...valid, accessToken: secret });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain("bbbbbbbb");
  });
});

describe("updateConnectionSettingsSchema", () => {
  it("normalises emails and removes duplicates", () => {
    expect(updateConnectionSettingsSchema.parse({ alertEmails: ["A@Example.com", "a@example.com"], autoReplyTypes: ["audio", "audio"] })).toEqual({
      alertEmails: ["a@example.com"],
      autoReplyTypes: ["audio"],
    });
  });

  it("refuses unknown fields and an empty update", () => {
    expect(updateConnectionSettingsSchema.safeParse({ status: "REMOVED" }).success).toBe(false);
    expect(updateConnectionSettingsSchema.safeParse({}).success).toBe(false);
    expect(updateConnectionSettingsSchema.safeParse({ autoReplyText: "" }).success).toBe(false);
    expect(updateConnectionSettingsSchema.parse({ autoReplyText: null })).toEqual({ autoReplyText: null });
  });
});

describe("healthTimelineQuerySchema", () => {
  it("takes 7 or 30 days, 7 by default", () => {
    expect(healthTimelineQuerySchema.parse({})).toEqual({ days: 7 });
    expect(healthTimelineQuerySchema.parse({ days: "30" })).toEqual({ days: 30 });
    expect(healthTimelineQuerySchema.safeParse({ days: "14" }).success).toBe(false);
  });
});
