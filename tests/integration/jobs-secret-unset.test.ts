import { describe, expect, it } from "vitest";

// With no CRON_SECRET configured, job endpoints refuse everything (never "open by default").
delete process.env.CRON_SECRET;

describe("CRON_SECRET unset", () => {
  it.each([{ bearer: "" }, { bearer: "undefined" }, { header: "" }, {}])("refuses %o", async (auth) => {
    const { callJob } = await import("@/tests/helpers/job-routes");
    const res = await callJob("webhook-retry", auth);
    expect(res.status).toBe(401);
    expect((await res.json()).error).toEqual({ code: "unauthorized", message: expect.stringMatching(/CRON_SECRET/) });
  });
});
