import { getLockStore } from "@/lib/locks/get-lock-store";

// Placeholder for helper/limits (the real file replaces this one): books the earliest paced slot.

export type SendSlot = { ok: true; sendAt: number } | { ok: false; retryInMs: number; reason: "number_rate" | "pair_rate" };

export async function reserveSendSlot(input: { connectionId: string; ratePerSecond: number; to: string; pairIntervalMs: number; maxWaitMs: number }): Promise<SendSlot> {
  const r = await getLockStore().reserve({
    numberKey: `pace:number:${input.connectionId}`,
    intervalUs: Math.round(1_000_000 / Math.max(1, input.ratePerSecond)),
    pairKey: input.pairIntervalMs > 0 ? `pace:pair:${input.connectionId}:${input.to}` : null,
    pairIntervalUs: input.pairIntervalMs * 1000,
    maxWaitUs: input.maxWaitMs * 1000,
  });
  // The store's clock may differ from ours: convert through its "now".
  if (r.ok) return { ok: true, sendAt: Date.now() + Math.max(0, (r.sendAtUs - r.nowUs) / 1000) };
  return { ok: false, retryInMs: Math.ceil(r.retryInUs / 1000), reason: r.reason };
}
