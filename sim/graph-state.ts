import { defaultTemplates, simulatedNumberDetails, type NumberDetails, type SimTemplate } from "@/sim/graph-fixtures";
import type { ErrorSpec } from "@/sim/graph-error-body";

// Everything the fake Graph API remembers, and the control surface tests and benches use to script it.
// Kept apart from HTTP so it can be driven in-process and over `/__sim/` alike.

export interface ScriptRule {
  method?: string;
  /** Regular expression tested against the path without version prefix and query, e.g. "/messages$". */
  pathPattern?: string;
  token?: string;
  phoneNumberId?: string;
  wabaId?: string;
  /** A send's recipient (`to` of POST /messages, digits; a leading + is ignored). */
  to?: string;
  /** Answer with this Graph error… */
  error?: ErrorSpec;
  /** …or with this exact response (e.g. a malformed body). Exactly one of the two. */
  response?: ScriptedResponse;
  /** How many matching requests get it; omitted = every one from now on. */
  times?: number;
}

export interface ScriptedResponse {
  httpStatus?: number;
  /** A string is sent as is (so it can be broken JSON); anything else as JSON. */
  body: unknown;
}

export type ScriptedOutcome = { error: ErrorSpec } | { response: ScriptedResponse };

/** One request as recorded: no token, no query string (those carry tokens). */
export interface RecordedRequest {
  method: string;
  path: string;
  endpoint: string;
  time: number;
  status: number;
  errorCode?: number;
  phoneNumberId?: string;
  wabaId?: string;
  nodeId?: string;
  mediaId?: string;
}

export interface SentMessage {
  wamid: string;
  phoneNumberId: string;
  to: string;
  waId: string;
  type: string;
  text?: string;
  replyTo?: string;
  time: number;
  /** The request body as sent (recipient, type, content). */
  payload: unknown;
}

export interface SimulatorStats {
  totalRequests: number;
  byEndpoint: Record<string, number>;
  byStatus: Record<string, number>;
  /** Most requests that arrived within any 1-second sliding window. */
  peakPerSecond: number;
}

/** Accepted sends per whole second (epoch seconds), for one number or all: what a pacing bench checks. */
export type SendsPerSecond = Array<{ second: number; count: number }>;

export type NumberOverrides = Partial<NumberDetails>;

/** A file received by `POST /{phone-number-id}/media`: its facts, not its bytes. */
export interface UploadedMedia {
  id: string;
  phoneNumberId: string;
  type: string;
  mimeType: string;
  filename: string;
  size: number;
  sha256: string;
}

export interface SimulatorControl {
  script(rule: ScriptRule): { id: string };
  setLatency(ms: number): void;
  setTokenInvalid(token: string, code?: number, subcode?: number): void;
  setSubscribed(wabaId: string, subscribed: boolean): void;
  setTokenExpiry(token: string, expiresAt: Date | null): void;
  /** Requests beyond this many per second get 130429 (messages) or 80007 (anything else); null = off. */
  setRateLimit(perSecond: number | null): void;
  /** Overrides a number's details (quality, status, health) as seen by later requests. */
  setNumber(phoneNumberId: string, overrides: NumberOverrides): void;
  /** What `GET /{waba-id}/message_templates` lists for this WABA; null = the default fixture again. */
  setTemplates(wabaId: string, templates: SimTemplate[] | null): void;
  reset(): void;
  requests(): RecordedRequest[];
  sentMessages(): SentMessage[];
  /** Accepted sends counted per second of arrival, oldest first (optionally of one phone number id). */
  sendsPerSecond(phoneNumberId?: string): SendsPerSecond;
  uploadedMedia(): UploadedMedia[];
  stats(): SimulatorStats;
}

/** The request facts scripts match on. */
export interface RequestFacts {
  method: string;
  path: string;
  token: string | null;
  phoneNumberId?: string;
  wabaId?: string;
  to?: string;
}

interface ActiveRule {
  id: string;
  rule: ScriptRule;
  pattern: RegExp | null;
  remaining: number;
}

/** Arrival times within the last second: a deque over a plain array, trimmed from the front. */
class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  /** Records an arrival at `now` (ms) and returns how many arrivals the last second holds. */
  add(now: number): number {
    this.times.push(now);
    return this.countAt(now);
  }

  countAt(now: number): number {
    while (this.head < this.times.length && this.times[this.head]! <= now - 1000) this.head++;
    if (this.head > 4096) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }
}

export class SimulatorState implements SimulatorControl {
  latencyMs: number;
  rateLimit: number | null = null;
  private rules: ActiveRule[] = [];
  private nextRuleId = 1;
  private invalidTokens = new Map<string, { code: number; subcode?: number }>();
  private tokenExpiry = new Map<string, Date | null>();
  private subscriptions = new Map<string, boolean>();
  private numbers = new Map<string, NumberOverrides>();
  /** Phone numbers requests have named: what a WABA lists when nothing assigned its numbers. */
  private seenNumbers = new Set<string>();
  private log: RecordedRequest[] = [];
  private sent: SentMessage[] = [];
  private templates = new Map<string, SimTemplate[]>();
  private uploads: UploadedMedia[] = [];
  private counters = { total: 0, byEndpoint: new Map<string, number>(), byStatus: new Map<string, number>(), peak: 0 };
  private arrivals = new SlidingWindow();
  private accepted = new SlidingWindow();

  constructor(
    private readonly defaults: { latencyMs: number; maxRecorded: number; defaultSubscribed: boolean },
  ) {
    this.latencyMs = defaults.latencyMs;
  }

  // ------------------------------------------------------------------------------------------ control

  script(rule: ScriptRule): { id: string } {
    if (rule.times != null && (!Number.isInteger(rule.times) || rule.times < 1)) throw new RangeError("times must be a positive integer");
    if ((rule.error == null) === (rule.response == null)) throw new TypeError("a rule needs exactly one of error or response");
    const id = `rule-${this.nextRuleId++}`;
    const pattern = rule.pathPattern != null ? new RegExp(rule.pathPattern) : null;
    this.rules.push({ id, rule, pattern, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    return { id };
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  setTokenInvalid(token: string, code = 190, subcode?: number): void {
    this.invalidTokens.set(token, { code, subcode });
  }

  setSubscribed(wabaId: string, subscribed: boolean): void {
    this.subscriptions.set(wabaId, subscribed);
  }

  setTokenExpiry(token: string, expiresAt: Date | null): void {
    this.tokenExpiry.set(token, expiresAt);
  }

  setRateLimit(perSecond: number | null): void {
    this.rateLimit = perSecond != null && perSecond > 0 ? perSecond : null;
  }

  setNumber(phoneNumberId: string, overrides: NumberOverrides): void {
    this.numbers.set(phoneNumberId, { ...this.numbers.get(phoneNumberId), ...overrides });
  }

  setTemplates(wabaId: string, templates: SimTemplate[] | null): void {
    if (templates) this.templates.set(wabaId, templates.map((t) => ({ ...t })));
    else this.templates.delete(wabaId);
  }

  reset(): void {
    this.templates.clear();
    this.uploads = [];
    this.latencyMs = this.defaults.latencyMs;
    this.rateLimit = null;
    this.rules = [];
    this.invalidTokens.clear();
    this.tokenExpiry.clear();
    this.subscriptions.clear();
    this.numbers.clear();
    this.seenNumbers.clear();
    this.log = [];
    this.sent = [];
    this.counters = { total: 0, byEndpoint: new Map(), byStatus: new Map(), peak: 0 };
    this.arrivals = new SlidingWindow();
    this.accepted = new SlidingWindow();
  }

  requests(): RecordedRequest[] {
    return [...this.log];
  }

  sentMessages(): SentMessage[] {
    return [...this.sent];
  }

  sendsPerSecond(phoneNumberId?: string): SendsPerSecond {
    const counts = new Map<number, number>();
    for (const m of this.sent) {
      if (phoneNumberId !== undefined && m.phoneNumberId !== phoneNumberId) continue;
      const second = Math.floor(m.time / 1000);
      counts.set(second, (counts.get(second) ?? 0) + 1);
    }
    return [...counts].sort((a, b) => a[0] - b[0]).map(([second, count]) => ({ second, count }));
  }

  uploadedMedia(): UploadedMedia[] {
    return [...this.uploads];
  }

  stats(): SimulatorStats {
    return {
      totalRequests: this.counters.total,
      byEndpoint: Object.fromEntries(this.counters.byEndpoint),
      byStatus: Object.fromEntries(this.counters.byStatus),
      peakPerSecond: this.counters.peak,
    };
  }

  // ------------------------------------------------------------------------------ used by the server

  /** Counts an arrival (for stats and the peak window); `now` is a monotonic clock in ms. */
  noteArrival(endpoint: string, now: number): void {
    this.counters.total++;
    this.counters.byEndpoint.set(endpoint, (this.counters.byEndpoint.get(endpoint) ?? 0) + 1);
    this.counters.peak = Math.max(this.counters.peak, this.arrivals.add(now));
  }

  /** True when one more request fits under the rate limit; counts it if so. */
  admit(now: number): boolean {
    if (this.rateLimit == null) return true;
    if (this.accepted.countAt(now) >= this.rateLimit) return false;
    this.accepted.add(now);
    return true;
  }

  /** The first live rule matching the request, consuming one of its `times`. */
  takeScripted(facts: RequestFacts): ScriptedOutcome | null {
    const index = this.rules.findIndex((r) => matches(r, facts));
    if (index < 0) return null;
    const active = this.rules[index]!;
    active.remaining--;
    if (active.remaining <= 0) this.rules.splice(index, 1);
    const { error, response } = active.rule;
    return error ? { error } : { response: response ?? { body: {} } };
  }

  tokenProblem(token: string, nowMs: number): { code: number; subcode?: number; expiredAt?: Date } | null {
    const invalid = this.invalidTokens.get(token);
    if (invalid) return invalid;
    const expiry = this.tokenExpiry.get(token);
    if (expiry && expiry.getTime() <= nowMs) return { code: 190, subcode: 463, expiredAt: expiry };
    return null;
  }

  tokenExpiryOf(token: string): Date | null {
    return this.tokenExpiry.get(token) ?? null;
  }

  isSubscribed(wabaId: string): boolean {
    return this.subscriptions.get(wabaId) ?? this.defaults.defaultSubscribed;
  }

  noteNumber(phoneNumberId: string): void {
    this.seenNumbers.add(phoneNumberId);
  }

  /**
   * What `GET /{waba-id}/phone_numbers` lists: the numbers set to this WABA, and every number seen or set
   * without one (a number belongs to one WABA; an unassigned one to whichever is asked).
   */
  wabaPhoneNumbers(wabaId: string): string[] {
    const known = new Set([...this.numbers.keys(), ...this.seenNumbers]);
    return [...known].filter((id) => (this.numbers.get(id)?.wabaId ?? wabaId) === wabaId);
  }

  numberDetails(phoneNumberId: string): NumberDetails {
    return { ...simulatedNumberDetails(phoneNumberId), ...this.numbers.get(phoneNumberId) };
  }

  record(entry: RecordedRequest): void {
    const key = String(entry.status);
    this.counters.byStatus.set(key, (this.counters.byStatus.get(key) ?? 0) + 1);
    pushBounded(this.log, entry, this.defaults.maxRecorded);
  }

  wabaTemplates(wabaId: string): SimTemplate[] {
    return this.templates.get(wabaId) ?? defaultTemplates(wabaId);
  }

  recordUpload(media: UploadedMedia): void {
    pushBounded(this.uploads, media, this.defaults.maxRecorded);
  }

  uploadOf(mediaId: string): UploadedMedia | null {
    return this.uploads.find((u) => u.id === mediaId) ?? null;
  }

  recordSent(message: SentMessage): void {
    pushBounded(this.sent, message, this.defaults.maxRecorded);
  }
}

function matches(active: ActiveRule, facts: RequestFacts): boolean {
  const { rule, pattern } = active;
  if (rule.method && rule.method.toUpperCase() !== facts.method) return false;
  if (pattern && !pattern.test(facts.path)) return false;
  if (rule.token != null && rule.token !== facts.token) return false;
  if (rule.phoneNumberId != null && rule.phoneNumberId !== facts.phoneNumberId) return false;
  if (rule.wabaId != null && rule.wabaId !== facts.wabaId) return false;
  if (rule.to != null && rule.to.replace(/^\+/, "") !== facts.to) return false;
  return true;
}

// Long benches must not grow memory without bound: drop the oldest tenth when full.
function pushBounded<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, Math.max(1, Math.floor(max / 10)));
}
