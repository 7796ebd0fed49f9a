// Maps a Graph API failure to what the caller should do about it. Decisions are built on Meta's numeric
// `code` (titles and messages change between versions); the HTTP status only decides when no code is known.

export type GraphErrorKind =
  | "transient"
  | "throttled"
  | "auth"
  | "window_closed"
  | "permanent_request"
  | "permanent_recipient"
  | "account_restricted"
  | "unknown";

export interface GraphErrorClass {
  kind: GraphErrorKind;
  /** True for transient and throttled: the same request may succeed later (with backoff). */
  retryable: boolean;
}

export interface GraphErrorSignal {
  httpStatus?: number | null;
  code?: number | null;
  subcode?: number | null;
}

type CodeOrRange = number | readonly [from: number, to: number];

// Meta's error-code table (see META.md). 131000 is transient but callers should bound its retries:
// Meta uses it for "something went wrong", which is not always temporary.
const CODE_TABLE: ReadonlyArray<readonly [GraphErrorKind, readonly CodeOrRange[]]> = [
  // 131057: the number is being upgraded (about a minute).
  ["transient", [1, 2, 131000, 131016, 131057, 133004]],
  ["throttled", [4, 80007, 130429, 131056]],
  ["auth", [0, 102, 190, 3, 10, [200, 299], 131005]],
  // 470 is 131047's legacy code.
  ["window_closed", [131047, 470]],
  ["permanent_request", [100, 131008, 131009, [132000, 132016]]],
  ["permanent_recipient", [131026, 131049, 131051, 131021]],
  ["account_restricted", [131048, 368, 131031, 133010]],
];

const RETRYABLE: ReadonlySet<GraphErrorKind> = new Set(["transient", "throttled"]);

/** Transient and throttled failures may succeed later (with backoff); nothing else will. */
export function isRetryableKind(kind: GraphErrorKind): boolean {
  return RETRYABLE.has(kind);
}

function kindForCode(code: number): GraphErrorKind | null {
  for (const [kind, entries] of CODE_TABLE) {
    for (const entry of entries) {
      if (typeof entry === "number" ? entry === code : code >= entry[0] && code <= entry[1]) return kind;
    }
  }
  return null;
}

function kindForStatus(httpStatus: number): GraphErrorKind {
  if (httpStatus >= 500) return "transient";
  // Graph itself answers rate limits with a code, but a proxy or load balancer in front may send a bare 429.
  if (httpStatus === 429) return "throttled";
  return "unknown";
}

/**
 * Classifies a Graph API error. A known `code` wins over the HTTP status (Meta sends some
 * permanent errors with a 5xx); the subcode (e.g. 463 = token expired) refines but never changes the kind.
 */
export function classifyGraphError({ httpStatus, code }: GraphErrorSignal): GraphErrorClass {
  // `code` 0 is a real Graph code (auth), so compare with null rather than truthiness.
  const byCode = code != null ? kindForCode(code) : null;
  const kind = byCode ?? (httpStatus != null ? kindForStatus(httpStatus) : "unknown");
  return { kind, retryable: isRetryableKind(kind) };
}
