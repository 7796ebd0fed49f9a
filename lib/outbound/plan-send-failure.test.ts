import { describe, expect, it } from "vitest";
import { sendRetryDelayMs } from "@/lib/outbound/outbox-queue";
import { MARKETING_CAP_TRIES, planSendFailure } from "@/lib/outbound/plan-send-failure";
import { GraphError } from "@/lib/whatsapp/graph-error";

const err = (code: number | null, httpStatus: number | null = 400) => new GraphError({ message: `error ${code}`, httpStatus, code, title: "t", details: "d" });

describe("planSendFailure", () => {
  it.each([130429, 131056, 4, 80007])("%i: retried, not counted against the breaker", (code) => {
    expect(planSendFailure(err(code), 1)).toEqual({ action: "retry", errorKind: "THROTTLED", breaker: null });
  });

  it.each([1, 2, 131000, 131057, 133004])("%i: retried and counted as transient", (code) => {
    expect(planSendFailure(err(code, 500), 1)).toEqual({ action: "retry", errorKind: "TRANSIENT", breaker: "transient" });
  });

  it("timeouts and network failures are transient", () => {
    expect(planSendFailure(GraphError.timeout(300), 1)).toMatchObject({ action: "retry", errorKind: "TRANSIENT" });
    expect(planSendFailure(GraphError.network(new Error("ECONNREFUSED")), 1)).toMatchObject({ action: "retry", errorKind: "TRANSIENT" });
    expect(planSendFailure(err(null, 502), 1)).toMatchObject({ action: "retry", errorKind: "TRANSIENT" });
  });

  it("131049: hours later, a few tries, then failed", () => {
    const plan = planSendFailure(err(131049), 1, () => 0);
    expect(plan).toMatchObject({ action: "retry", errorKind: "MARKETING_CAP", delayMs: 4 * 60 * 60_000 });
    expect(planSendFailure(err(131049), MARKETING_CAP_TRIES)).toMatchObject({ action: "fail", errorKind: "MARKETING_CAP" });
  });

  it.each([131047, 470])("%i: failed, send a template", (code) => {
    expect(planSendFailure(err(code), 1)).toMatchObject({ action: "fail", errorKind: "WINDOW_CLOSED", reason: expect.stringMatching(/send a template/) });
  });

  it.each([131048, 368, 131031])("%i: failed and counted as restricted", (code) => {
    expect(planSendFailure(err(code), 1)).toMatchObject({ action: "fail", errorKind: "RESTRICTED", breaker: "restricted" });
  });

  it.each([131026, 132000, 132001, 132012, 132015, 100])("%i: failed for good", (code) => {
    expect(planSendFailure(err(code), 1)).toMatchObject({ action: "fail", errorKind: "PERMANENT", breaker: null });
  });

  it.each([190, 102, 0, 10, 200, 131005])("%i: the token is invalid", (code) => {
    expect(planSendFailure(err(code, 401), 1)).toEqual({ action: "token_invalid" });
  });

  it("a 2xx we cannot read is not retried (Graph may have accepted it)", () => {
    expect(planSendFailure(GraphError.unexpectedBody(200, "messages: Required"), 1)).toMatchObject({ action: "fail", errorKind: "UNKNOWN" });
  });
});

describe("sendRetryDelayMs", () => {
  it("full jitter under a ceiling that doubles, capped at 30 minutes, never under a second", () => {
    expect(sendRetryDelayMs(1, () => 1)).toBe(5_000);
    expect(sendRetryDelayMs(3, () => 1)).toBe(20_000);
    expect(sendRetryDelayMs(30, () => 1)).toBe(30 * 60_000);
    expect(sendRetryDelayMs(3, () => 0.5)).toBe(10_000);
    expect(sendRetryDelayMs(5, () => 0)).toBe(1_000);
  });
});
