import { describe, expect, it } from "vitest";
import { holdSendWindow } from "@/lib/outbound/hold-send-window";

describe("holdSendWindow", () => {
  it("lets a burst through up to the limit, then holds the rest until the window has room", async () => {
    const started = performance.now();
    const passed: number[] = [];
    await Promise.all(Array.from({ length: 8 }, () => holdSendWindow("conn-burst", 5).then(() => passed.push(performance.now() - started))));
    passed.sort((a, b) => a - b);
    expect(passed.slice(0, 5).every((t) => t < 500)).toBe(true);
    // The sixth can only pass once the first has left the 1 s window.
    expect(passed[5]).toBeGreaterThanOrEqual(1_000);
    // In no window of 1 s did more than 5 pass.
    for (let i = 0; i + 5 < passed.length; i++) expect(passed[i + 5]! - passed[i]!).toBeGreaterThanOrEqual(999);
  });

  it("keeps numbers apart", async () => {
    await Promise.all(Array.from({ length: 3 }, () => holdSendWindow("conn-a", 3)));
    const started = performance.now();
    await holdSendWindow("conn-b", 3);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
