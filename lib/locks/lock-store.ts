import { z } from "zod";
import { AppError } from "@/lib/http/app-error";

/**
 * A token-owned lock: only the holder of the token can release or extend it, so a run that
 * outlived its TTL can never drop the lock a newer run now holds.
 *
 * Every method throws `AppError("unavailable")` when the store cannot be reached.
 */
export interface LockStore {
  /** "none": a real database but no shared store configured; every call throws (see get-lock-store). */
  kind: "redis" | "upstash" | "memory" | "none";
  /** `SET key token NX PX ttl`: true when this token now holds the key. */
  acquire(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Deletes the key only if it still holds this token. */
  release(key: string, token: string): Promise<boolean>;
  /** Resets the TTL only if the key still holds this token. */
  extend(key: string, token: string, ttlMs: number): Promise<boolean>;
  /** Counts a hit on `key` in a fixed window of `windowMs` (INCR, expiry set by the first hit): the count so far. */
  hit(key: string, windowMs: number): Promise<number>;
  /**
   * Takes one hit back (an attempt that turned out not to count); nothing once the window has ended. A
   * refund that lands in the next window takes one from it: at most one attempt more, never below zero.
   */
  refund(key: string): Promise<void>;
  /**
   * Books the earliest send time both pacing keys allow, if it is within `maxWaitMs` of the store's clock;
   * otherwise books nothing (see PACE_SCRIPT). Atomic across every caller of the store.
   */
  reserve(request: PaceRequest): Promise<PaceResult>;
  /** Applies one event to a circuit breaker and answers its state after it (see BREAKER_SCRIPT). Atomic. */
  breaker(key: string, event: BreakerEvent, policy: BreakerPolicy): Promise<BreakerSnapshot>;
  ping(): Promise<void>;
}

export type PaceRequest = {
  /** The number's pacing key; its interval is `intervalUs`. */
  numberKey: string;
  intervalUs: number;
  /** The pair's key (connection + recipient), or null when the pair is not limited. */
  pairKey: string | null;
  pairIntervalUs: number;
  maxWaitUs: number;
  /**
   * The longest wait booked when the pair is what holds the send back (default maxWaitUs). Booking a pair's
   * slot also moves the number's "next free" time there, wasting the number's slots before it: keep it
   * short and let such sends come back when their recipient is free.
   */
  pairMaxWaitUs?: number;
};

/** Times are epoch microseconds of the store's clock. */
export type PaceResult =
  | { ok: true; sendAtUs: number; nowUs: number }
  | { ok: false; retryInUs: number; reason: "number_rate" | "pair_rate"; nowUs: number };

export type BreakerEvent = "pass" | "success" | "transient_failure" | "hard_failure" | "read";

export type BreakerPolicy = {
  /** Consecutive transient failures that open a closed breaker (a hard failure opens it at once). */
  transientThreshold: number;
  cooldownMs: number;
  maxCooldownMs: number;
  /** How long the half-open probe is held before another caller may probe (its sender may have died). */
  probeLeaseMs: number;
  /** The longest a caller refused while the probe is out is told to wait (the probe usually answers sooner). */
  probeRetryMs: number;
};

export type BreakerState = "closed" | "open" | "half_open";

export type BreakerSnapshot = {
  state: BreakerState;
  /** For "pass": whether the caller may send, and whether it is the one half-open probe. */
  allow: boolean;
  probe: boolean;
  retryInMs: number;
  /** Epoch ms (store clock) the current open period ends; null when closed. */
  openUntil: number | null;
};

// The compare-and-X scripts shared by both Redis stores: GET and DEL as two commands would let the
// key expire and be taken by another owner in between.
export const RELEASE_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
export const EXTEND_SCRIPT = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

// The window starts with the first hit; INCR and PEXPIRE as two commands could leave a key that never expires.
export const HIT_SCRIPT = `local n = redis.call("incr", KEYS[1]) if n == 1 then redis.call("pexpire", KEYS[1], ARGV[1]) end return n`;
// A bare DECR on an expired window would create a key with no expiry, counting from -1.
export const REFUND_SCRIPT = `local n = tonumber(redis.call("get", KEYS[1])) if n and n > 0 then return redis.call("decr", KEYS[1]) end return 0`;

// Pacing: GCRA in its virtual-scheduling form with no burst allowance. Each key holds the earliest time
// its next send may go (epoch µs of Redis' own clock, so instances with skewed clocks agree). The slot is
// the later of now and both keys; booked, it moves each key one interval past the slot. Integers in µs
// keep 1000/80 = 12.5 ms exact; integer replies pass every client unchanged.
// KEYS: number[, pair]; ARGV: intervalUs, pairIntervalUs, maxWaitUs. Reply: {booked 1|0, slotUs | retryUs,
// reason 1 number | 2 pair, nowUs}.
export const PACE_SCRIPT = `
local t = redis.call("time")
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local slot = math.max(now, tonumber(redis.call("get", KEYS[1]) or "0"))
local reason = 1
if #KEYS > 1 then
  local pairNext = tonumber(redis.call("get", KEYS[2]) or "0")
  if pairNext > slot then slot = pairNext reason = 2 end
end
local maxWait = tonumber(ARGV[3])
if reason == 2 then maxWait = math.min(maxWait, tonumber(ARGV[4])) end
if slot - now > maxWait then return {0, slot - maxWait - now, reason, now} end
local function book(key, nextAt)
  redis.call("set", key, string.format("%.0f", nextAt), "px", string.format("%.0f", math.ceil((nextAt - now) / 1000) + 1000))
end
book(KEYS[1], slot + tonumber(ARGV[1]))
if #KEYS > 1 then book(KEYS[2], slot + tonumber(ARGV[2])) end
return {1, slot, reason, now}`;

// Circuit breaker: one hash per connection, {state closed|open, failures, cooldown, openUntil, probeUntil},
// times in epoch ms of Redis' clock; no key = closed with no failures. Half-open is not stored: it is "open"
// once openUntil has passed. One script, so "half-open, this caller probes" happens once across all instances.
// Events: "pass" (before a send), "success", "transient_failure", "hard_failure", "read".
// - closed: a success forgets the failures; the threshold-th consecutive transient failure, or any hard
//   one, opens it for the base cooldown.
// - open, before openUntil: refuses; late outcomes of sends begun before it opened change nothing.
// - half-open: the first pass gets the probe (held probeLeaseMs, then another caller may probe, so a dead
//   prober cannot wedge it); a success closes it; a failure reopens it with the cooldown doubled (capped).
// KEYS: breaker; ARGV: event, transientThreshold, cooldownMs, maxCooldownMs, probeLeaseMs, probeRetryMs.
// Reply: {state 0 closed | 1 open | 2 half_open, allow 0|1, probe 0|1, retryInMs, openUntil (0: none)}.
export const BREAKER_SCRIPT = `
local t = redis.call("time")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local event = ARGV[1]
local threshold, baseCooldown, maxCooldown = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local probeLease, probeRetry = tonumber(ARGV[5]), tonumber(ARGV[6])
local h = redis.call("hmget", KEYS[1], "state", "failures", "cooldown", "openUntil", "probeUntil")
local isOpen = h[1] == "open"
local failures, cooldown = tonumber(h[2] or "0"), tonumber(h[3] or "0")
local openUntil, probeUntil = tonumber(h[4] or "0"), tonumber(h[5] or "0")
local allow, probe, retry, dirty = 0, 0, 0, false
local function open(ms)
  isOpen, cooldown, openUntil, probeUntil, failures, dirty = true, ms, now + ms, 0, 0, true
end
local function close()
  isOpen, failures, cooldown, openUntil, probeUntil, dirty = false, 0, 0, 0, 0, true
end
if event == "pass" then
  if not isOpen then allow = 1
  elseif now < openUntil then retry = openUntil - now
  elseif now < probeUntil then retry = math.min(probeUntil - now, probeRetry)
  else probeUntil, allow, probe, dirty = now + probeLease, 1, 1, true end
elseif event == "success" then
  if not isOpen then
    if failures > 0 then close() end
  elseif now >= openUntil then close() end
elseif event == "transient_failure" or event == "hard_failure" then
  if not isOpen then
    failures, dirty = failures + 1, true
    if event == "hard_failure" or failures >= threshold then open(baseCooldown) end
  elseif now >= openUntil then
    open(math.min(math.max(cooldown * 2, baseCooldown), maxCooldown))
  end
end
if dirty then
  if not isOpen and failures == 0 then
    redis.call("del", KEYS[1])
  else
    local state = "closed"
    if isOpen then state = "open" end
    redis.call("hset", KEYS[1], "state", state, "failures", failures, "cooldown", cooldown, "openUntil", openUntil, "probeUntil", probeUntil)
    redis.call("pexpire", KEYS[1], math.max(openUntil, probeUntil, now) - now + 86400000)
  end
end
if not isOpen then return {0, allow, probe, retry, 0} end
local code = 1
if now >= openUntil then code = 2 end
return {code, allow, probe, retry, openUntil}`;

// Script replies are integers; anything else means a broken store or bridge, which parse() throws on
// and guardStoreCall turns into "unavailable" rather than a guess.
const int = z.coerce.number().int();
const breakerReply = z.tuple([int, int, int, int, int]);
const paceReply = z.tuple([int, int, int, int]);

/** Reads the BREAKER_SCRIPT reply. */
export function breakerSnapshot(reply: unknown): BreakerSnapshot {
  const [code, allow, probe, retryInMs, openUntil] = breakerReply.parse(reply);
  return {
    state: code === 0 ? "closed" : code === 1 ? "open" : "half_open",
    allow: allow === 1,
    probe: probe === 1,
    retryInMs,
    openUntil: openUntil === 0 ? null : openUntil,
  };
}

/** Reads the PACE_SCRIPT reply. */
export function paceResult(reply: unknown): PaceResult {
  const [booked, us, reasonCode, nowUs] = paceReply.parse(reply);
  if (booked === 1) return { ok: true, sendAtUs: us, nowUs };
  return { ok: false, retryInUs: us, reason: reasonCode === 2 ? "pair_rate" : "number_rate", nowUs };
}

export function breakerArgs(event: BreakerEvent, p: BreakerPolicy): string[] {
  return [event, p.transientThreshold, p.cooldownMs, p.maxCooldownMs, p.probeLeaseMs, p.probeRetryMs].map(String);
}

export function paceArgs(r: PaceRequest): { keys: string[]; args: string[] } {
  return {
    keys: r.pairKey ? [r.numberKey, r.pairKey] : [r.numberKey],
    args: [r.intervalUs, r.pairIntervalUs, r.maxWaitUs, r.pairMaxWaitUs ?? r.maxWaitUs].map(String),
  };
}

export function lockStoreUnavailable(kind: LockStore["kind"], cause: unknown): AppError {
  if (cause instanceof AppError) return cause;
  return new AppError("unavailable", `Lock store (${kind}) unreachable`, { cause });
}

/** Runs one store operation, turning any transport failure into `AppError("unavailable")`. */
export async function guardStoreCall<T>(kind: LockStore["kind"], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw lockStoreUnavailable(kind, error);
  }
}
