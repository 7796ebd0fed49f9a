import { describe, expect, it } from "vitest";
import { classifyGraphError, type GraphErrorKind } from "@/lib/whatsapp/classify-graph-error";

const byCode: Array<[number, GraphErrorKind]> = [
  [1, "transient"],
  [2, "transient"],
  [131000, "transient"],
  [131016, "transient"],
  [133004, "transient"],
  [131057, "transient"],
  [4, "throttled"],
  [80007, "throttled"],
  [130429, "throttled"],
  [131056, "throttled"],
  [0, "auth"],
  [190, "auth"],
  [3, "auth"],
  [10, "auth"],
  [200, "auth"],
  [250, "auth"],
  [299, "auth"],
  [131005, "auth"],
  [131047, "window_closed"],
  [470, "window_closed"],
  [102, "auth"],
  [100, "permanent_request"],
  [131008, "permanent_request"],
  [131009, "permanent_request"],
  [132000, "permanent_request"],
  [132007, "permanent_request"],
  [132016, "permanent_request"],
  [131026, "permanent_recipient"],
  [131049, "permanent_recipient"],
  [131051, "permanent_recipient"],
  [131021, "permanent_recipient"],
  [131048, "account_restricted"],
  [368, "account_restricted"],
  [131031, "account_restricted"],
  [133010, "account_restricted"],
  // Just outside the ranges, and codes the table does not know.
  [199, "unknown"],
  [300, "unknown"],
  [132017, "unknown"],
  [131999, "unknown"],
];

describe("classifyGraphError", () => {
  it.each(byCode)("code %i → %s (on HTTP 400)", (code, kind) => {
    const result = classifyGraphError({ httpStatus: 400, code });
    expect(result.kind).toBe(kind);
    expect(result.retryable).toBe(kind === "transient" || kind === "throttled");
  });

  it("classifies an expired token (190/463) as auth, not retryable", () => {
    expect(classifyGraphError({ httpStatus: 401, code: 190, subcode: 463 })).toEqual({ kind: "auth", retryable: false });
  });

  it.each([500, 502, 503, 504])("HTTP %i without a code is transient", (httpStatus) => {
    expect(classifyGraphError({ httpStatus, code: null })).toEqual({ kind: "transient", retryable: true });
  });

  it("a known code wins over a 5xx status", () => {
    expect(classifyGraphError({ httpStatus: 500, code: 131026 }).kind).toBe("permanent_recipient");
  });

  it("an unknown code on a 5xx is still transient", () => {
    expect(classifyGraphError({ httpStatus: 503, code: 999999 }).kind).toBe("transient");
  });

  it("a bare 429 from something in front of Graph is throttled", () => {
    expect(classifyGraphError({ httpStatus: 429 })).toEqual({ kind: "throttled", retryable: true });
  });

  it("nothing known is unknown and not retryable", () => {
    expect(classifyGraphError({})).toEqual({ kind: "unknown", retryable: false });
    expect(classifyGraphError({ httpStatus: 404, code: null })).toEqual({ kind: "unknown", retryable: false });
  });
});
