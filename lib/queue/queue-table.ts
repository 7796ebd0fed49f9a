// A table the drain works on (lib/queue/). Every queue table carries the same bookkeeping columns —
// id, state, attempts, "nextAttemptAt" (when due; null = not automatically), "leaseUntil",
// "claimToken", "lastError", "errorKind", "processedAt", "deadAt" — so one claim/lease/backoff/
// dead-letter mechanism serves the webhook inbox and, next, the outbox.

export type QueueTable = {
  /** Table name as in the database, e.g. "WebhookEvent". A constant, never user input. */
  table: string;
  /** The enum type of its `state` column and the label of each state. */
  stateType: string;
  /** `retrying`: where a failure that will be retried waits (default `failed`; the outbox puts it back in QUEUED). */
  states: { pending: string; processing: string; done: string; failed: string; dead: string; retrying?: string };
  /** Columns handed to the handler with each claimed row, besides id and attempts. */
  payloadColumns: readonly string[];
  /** A bytea column whose size bounds a batch (`maxBatchBytes`), so memory stays bounded whatever the rows hold. */
  sizeColumn?: string;
  /** Columns an outcome may write (its `values`), with their SQL types. */
  resultColumns: Readonly<Record<string, "text" | "int" | "jsonb" | "timestamptz">>;
  /** How long a claim lasts without renewal: a drainer that dies frees its rows after this. */
  leaseMs: number;
  /** Claims (attempts) after which a failure is final: DEAD. */
  maxAttempts: number;
  /** Delay before the next attempt, given the attempts made so far (≥ 1). */
  retryDelayMs(attempts: number): number;
};

/** A claimed row: the payload columns plus its id and attempt number (this claim included). */
export type ClaimedRow<Payload> = Payload & { id: string; attempts: number };

export type Outcome =
  /** Processed. */
  | { id: string; kind: "done"; values?: Record<string, unknown> }
  /** Failed; retried after the backoff (or `delayMs`), DEAD once attempts reach the maximum. */
  | { id: string; kind: "retry"; error: string; errorKind: string; delayMs?: number; values?: Record<string, unknown> }
  /** Failed for good: kept FAILED for a person, never retried automatically. */
  | { id: string; kind: "fail"; error: string; errorKind: string; values?: Record<string, unknown> }
  /**
   * Not finished in this claim (time budget, pacing, a dependency down): handed back, due again after
   * `delayMs` (0), attempt not counted. `error` records why it waits (kept as is when absent).
   */
  | { id: string; kind: "release"; delayMs?: number; error?: string; errorKind?: string; values?: Record<string, unknown> };
