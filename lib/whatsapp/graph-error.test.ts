import { describe, expect, it } from "vitest";
import { GraphError, redactTokens } from "@/lib/whatsapp/graph-error";

describe("GraphError.fromResponse", () => {
  it("reads code, subcode, trace id, title and details from Graph's error body", () => {
    const err = GraphError.fromResponse(400, {
      error: {
        message: "(#131047) Re-engagement message",
        type: "OAuthException",
        code: 131047,
        error_subcode: 2494010,
        error_data: { messaging_product: "whatsapp", details: "More than 24 hours have passed" },
        fbtrace_id: "AbC123xyz",
      },
    });
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      name: "GraphError",
      httpStatus: 400,
      code: 131047,
      subcode: 2494010,
      kind: "window_closed",
      retryable: false,
      fbtraceId: "AbC123xyz",
      title: "(#131047) Re-engagement message",
      details: "More than 24 hours have passed",
    });
    expect(err.message).toBe("Graph API error 131047/2494010: (#131047) Re-engagement message");
  });

  it("keeps the HTTP status when the body is not Graph's shape", () => {
    expect(GraphError.fromResponse(502, "<html>Bad gateway</html>")).toMatchObject({ kind: "transient", code: null, httpStatus: 502 });
    expect(GraphError.fromResponse(404, undefined)).toMatchObject({ kind: "unknown", code: null, httpStatus: 404 });
  });

  it("tolerates a half-formed error body", () => {
    expect(GraphError.fromResponse(400, { error: { code: 4, error_data: "odd" } })).toMatchObject({ kind: "throttled", code: 4, details: null });
  });

  it("never carries a token in its message, title or details", () => {
    const userToken = "EAAGm0PX4ZCpsBAKZCZBd1kZAxyz1234567890";
    const appToken = "1234567890123456|abcdefABCDEF0123456789";
    const err = GraphError.fromResponse(401, {
      error: { code: 190, message: `Malformed access token ${userToken}`, error_data: { details: `app token ${appToken} rejected` } },
    });
    for (const text of [err.message, err.title, err.details]) {
      expect(text).not.toContain(userToken);
      expect(text).not.toContain(appToken.split("|")[1]);
    }
  });
});

describe("network failures", () => {
  it("timeouts and unreachable hosts are transient with no code", () => {
    expect(GraphError.timeout(10_000)).toMatchObject({ kind: "transient", retryable: true, code: null, httpStatus: null });
    const cause = new TypeError("fetch failed", { cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }) });
    const err = GraphError.network(cause);
    expect(err).toMatchObject({ kind: "transient", retryable: true, code: null });
    expect(err.message).toContain("ECONNREFUSED");
    expect(err.cause).toBe(cause);
  });
});

describe("redactTokens", () => {
  it("scrubs query tokens, Bearer values and raw Meta tokens", () => {
    expect(redactTokens("GET /debug_token?input_token=EAAxyz&x=1")).toBe("GET /debug_token?input_token=[redacted]&x=1");
    expect(redactTokens("Authorization: Bearer abc.def")).toBe("Authorization: Bearer [redacted]");
    expect(redactTokens("token EAAGm0PX4ZCpsBAKZCZBd1kZA here")).toBe("token [redacted] here");
    expect(redactTokens("phone 15550102030 and id 106540352242922")).toBe("phone 15550102030 and id 106540352242922");
  });
});
