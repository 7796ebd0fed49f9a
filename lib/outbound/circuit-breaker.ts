import { getLockStore } from "@/lib/locks/get-lock-store";
import type { BreakerPolicy } from "@/lib/locks/lock-store";

// Placeholder for helper/limits (the real file replaces this one): the per-connection breaker.

const POLICY: BreakerPolicy = { transientThreshold: 5, cooldownMs: 30_000, maxCooldownMs: 10 * 60_000, probeLeaseMs: 30_000, probeRetryMs: 5_000 };
const key = (connectionId: string) => `breaker:${connectionId}`;

export type BreakerGate = { allow: true; probe: boolean } | { allow: false; retryInMs: number; state: "open" | "half_open" };

export async function passBreaker(connectionId: string): Promise<BreakerGate> {
  const s = await getLockStore().breaker(key(connectionId), "pass", POLICY);
  if (s.allow) return { allow: true, probe: s.probe };
  return { allow: false, retryInMs: s.retryInMs, state: s.state === "half_open" ? "half_open" : "open" };
}

export async function recordSendSuccess(connectionId: string): Promise<void> {
  await getLockStore().breaker(key(connectionId), "success", POLICY);
}

export async function recordSendFailure(connectionId: string, kind: "transient" | "auth" | "restricted"): Promise<void> {
  await getLockStore().breaker(key(connectionId), kind === "transient" ? "transient_failure" : "hard_failure", POLICY);
}

export async function getBreakerState(connectionId: string): Promise<{ state: "closed" | "open" | "half_open"; openUntil: number | null }> {
  const s = await getLockStore().breaker(key(connectionId), "read", POLICY);
  return { state: s.state, openUntil: s.openUntil };
}
