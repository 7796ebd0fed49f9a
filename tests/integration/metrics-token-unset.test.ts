import { describe, expect, it } from "vitest";

// With no METRICS_TOKEN configured, /api/metrics refuses every scrape (never open by default).
delete process.env.METRICS_TOKEN;

describe("METRICS_TOKEN unset", () => {
  it.each(["", "undefined", "anything"])("refuses Bearer %j", async (token) => {
    const { GET } = await import("@/app/api/metrics/route");
    const res = await GET(new Request("http://localhost/api/metrics", { headers: { authorization: `Bearer ${token}` } }));
    expect(res.status).toBe(401);
    expect((await res.json()).error).toEqual({ code: "unauthorized", message: expect.stringMatching(/METRICS_TOKEN is configured/) });
  });
});
