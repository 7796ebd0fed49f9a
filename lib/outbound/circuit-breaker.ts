import { env } from "@/lib/env";
import { getLockStore } from "@/lib/locks/get-lock-store";
import type { BreakerEvent, BreakerPolicy, BreakerSnapshot, LockStore } from "@/lib/locks/lock-store";

// One breaker per connection, its state in the shared store (BREAKER_SCRIPT in lib/locks/lock-store.ts
// holds the state machine), so every instance stops sending for a connection whose token or number is
// broken while other connections' sends go on. Every function throws AppError("unavailable") when the
// store is down: the drain then sends nothing, like the pacing.

export type BreakerGate = { allow: true; probe: boolean } | { allow: false; retryInMs: number; state: "open" | "half_open" };

export type BreakerOptions = { store?: LockStore; policy?: Partial<BreakerPolicy> };

export function breakerPolicy(overrides: Partial<BreakerPolicy> = {}): BreakerPolicy {
  return {
    transientThreshold: env.OUTBOUND_BREAKER_FAILURES,
    cooldownMs: env.OUTBOUND_BREAKER_COOLDOWN_SECONDS * 1000,
    maxCooldownMs: env.OUTBOUND_BREAKER_MAX_COOLDOWN_SECONDS * 1000,
    // Long enough for one Graph call to time out and be recorded; then another caller may probe.
    probeLeaseMs: 2 * env.GRAPH_API_TIMEOUT_MS + 5_000,
    probeRetryMs: 5_000,
    ...overrides,
  };
}

async function apply(connectionId: string, event: BreakerEvent, { store = getLockStore(), policy }: BreakerOptions = {}): Promise<BreakerSnapshot> {
  return store.breaker(`${env.REDIS_KEY_PREFIX}:breaker:{${connectionId}}`, event, breakerPolicy(policy));
}

/** Before a send: closed lets every caller through; half-open lets exactly one (the probe) through. */
export async function passBreaker(connectionId: string, options?: BreakerOptions): Promise<BreakerGate> {
  const s = await apply(connectionId, "pass", options);
  if (s.allow) return { allow: true, probe: s.probe };
  return { allow: false, retryInMs: Math.max(1, s.retryInMs), state: s.state === "open" ? "open" : "half_open" };
}

/** Graph accepted a send: forgets counted failures; a half-open breaker closes. */
export async function recordSendSuccess(connectionId: string, options?: BreakerOptions): Promise<void> {
  await apply(connectionId, "success", options);
}

/**
 * A counted failure (not the recipient's fault): `transient` opens the breaker after
 * OUTBOUND_BREAKER_FAILURES in a row, `auth` and `restricted` at once; a failed probe reopens it for twice
 * the last cooldown (at most OUTBOUND_BREAKER_MAX_COOLDOWN_SECONDS).
 */
export async function recordSendFailure(connectionId: string, kind: "transient" | "auth" | "restricted", options?: BreakerOptions): Promise<void> {
  await apply(connectionId, kind === "transient" ? "transient_failure" : "hard_failure", options);
}

/** For the dashboard and the API; `openUntil` is epoch ms on the store's clock. */
export async function getBreakerState(
  connectionId: string,
  options?: BreakerOptions,
): Promise<{ state: "closed" | "open" | "half_open"; openUntil: number | null }> {
  const { state, openUntil } = await apply(connectionId, "read", options);
  return { state, openUntil };
}
