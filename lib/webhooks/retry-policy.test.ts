import { describe, expect, it } from "vitest";
import { retryDelayMs } from "@/lib/webhooks/retry-policy";

describe("retryDelayMs", () => {
  it("doubles the window each attempt, between half and all of it", () => {
    expect(retryDelayMs(1, () => 0)).toBe(15_000);
    expect(retryDelayMs(1, () => 1)).toBe(30_000);
    expect(retryDelayMs(3, () => 0)).toBe(60_000);
    expect(retryDelayMs(3, () => 1)).toBe(120_000);
  });

  it("caps the delay at six hours", () => {
    expect(retryDelayMs(40, () => 1)).toBe(6 * 60 * 60_000);
  });
});
