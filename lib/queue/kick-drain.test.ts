import { describe, expect, it } from "vitest";
import { isDraining, kickDrain, type KickOptions } from "@/lib/queue/kick-drain";
import type { DrainSummary } from "@/lib/queue/drain-queue";

const summary = (hasMore: boolean): DrainSummary => ({ batches: 1, claimed: 1, done: 1, failed: 0, dead: 0, released: 0, lost: 0, hasMore });
const tick = () => new Promise((r) => setTimeout(r, 5));
let n = 0;
const queueName = () => `test-queue-${++n}`;

describe("kickDrain", () => {
  it("runs one drainer per queue; a kick while it runs makes it look again instead of starting a second", async () => {
    const queue = queueName();
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    const drain: KickOptions["drain"] = async () => {
      calls++;
      maxRunning = Math.max(maxRunning, ++running);
      await tick();
      running--;
      return summary(false);
    };
    const first = kickDrain({ queue, drain, budgetMs: 10_000, handOn: async () => false });
    expect(isDraining(queue)).toBe(true);
    await kickDrain({ queue, drain, budgetMs: 10_000, handOn: async () => false }); // returns at once
    await first;
    expect(maxRunning).toBe(1);
    expect(calls).toBe(2); // the kick made the running drainer look once more
    expect(isDraining(queue)).toBe(false);
  });

  it("keeps draining in this process when there is no one to hand on to", async () => {
    const queue = queueName();
    let left = 3;
    const drain: KickOptions["drain"] = async () => summary(--left > 0);
    let handOns = 0;
    await kickDrain({ queue, drain, budgetMs: 0, handOn: async () => (handOns++, false) });
    expect(left).toBe(0);
    expect(handOns).toBeGreaterThan(0);
  });

  it("stops after a hand-on, and a kick arriving during the hand-on starts a fresh drainer here", async () => {
    const queue = queueName();
    const drains: string[] = [];
    let second: Promise<void> | undefined;
    await kickDrain({
      queue,
      drain: async () => (drains.push("first"), summary(true)),
      budgetMs: 0,
      // The fresh invocation lands in this same process (one next start, APP_URL pointing at it).
      handOn: async () => {
        second = kickDrain({ queue, drain: async () => (drains.push("second"), summary(false)), budgetMs: 10_000, handOn: async () => false });
        return true;
      },
    });
    await second;
    expect(drains).toEqual(["first", "second"]); // the first drained once, its budget spent, and handed on
    expect(isDraining(queue)).toBe(false);
  });

  it("stops on an error without throwing: the rows stay due for the next kick", async () => {
    const queue = queueName();
    await expect(kickDrain({ queue, drain: async () => Promise.reject(new Error("database down")), budgetMs: 1_000, handOn: async () => false })).resolves.toBeUndefined();
    expect(isDraining(queue)).toBe(false);
  });
});
