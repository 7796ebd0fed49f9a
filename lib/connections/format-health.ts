// How the dashboard words health facts. Pure (a `now` is passed in), so pages and tests agree.

export type Tone = "ok" | "warn" | "bad" | "muted";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "99.9%": floored to one decimal, so a bad minute never rounds up to 100%; "—" when nothing is known. */
export function formatPercent(fraction: number | null): string {
  if (fraction == null) return "—";
  const tenths = Math.floor(fraction * 1000) / 10;
  return `${tenths % 1 === 0 ? tenths.toFixed(0) : tenths.toFixed(1)}%`;
}

const WINDOW_SECONDS = { "24h": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400 } as const;

/**
 * "over 2 h observed" when a window was only partly observed (a number connected recently), so 100% over
 * 30 days is not read as a month without trouble; null when (nearly) the whole window was observed.
 */
export function describeObserved(window: keyof typeof WINDOW_SECONDS, observedSeconds: number): string | null {
  if (observedSeconds >= WINDOW_SECONDS[window] * 0.98) return null;
  if (observedSeconds <= 0) return "nothing observed yet";
  const hours = observedSeconds / 3600;
  const span = hours < 1 ? `${Math.max(1, Math.round(observedSeconds / 60))} min` : hours < 48 ? `${Math.round(hours)} h` : `${Math.round(hours / 24)} days`;
  return `over ${span} observed`;
}

export function uptimeTone(fraction: number | null): Tone {
  if (fraction == null) return "muted";
  if (fraction >= 0.99) return "ok";
  return fraction >= 0.9 ? "warn" : "bad";
}

function span(ms: number): string {
  if (ms < HOUR) return `${Math.max(1, Math.round(ms / MINUTE))} min`;
  if (ms < 2 * DAY) return `${Math.round(ms / HOUR)} h`;
  return `${Math.round(ms / DAY)} days`;
}

/** "just now", "5 min ago", "3 h ago", "4 days ago"; "never" for null. */
export function formatAgo(iso: string | null, now: Date): string {
  if (!iso) return "never";
  const ms = now.getTime() - new Date(iso).getTime();
  if (ms < MINUTE) return "just now";
  return `${span(ms)} ago`;
}

/** "2026-03-01 10:15 UTC", for titles and anything absolute. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** The token's expiry in words, with how worried to be. */
export function describeExpiry(expiresAt: string | null, now: Date): { text: string; tone: Tone } {
  if (!expiresAt) return { text: "No expiry reported", tone: "muted" };
  const left = new Date(expiresAt).getTime() - now.getTime();
  if (left <= 0) return { text: `Expired ${span(-left)} ago`, tone: "bad" };
  return { text: `Expires in ${span(left)}`, tone: left <= 7 * DAY ? "warn" : "ok" };
}

/** Meta's quality rating: GREEN, YELLOW, RED (or UNKNOWN / not reported). */
export function describeQuality(rating: string | null): { text: string; tone: Tone } {
  switch (rating?.toUpperCase()) {
    case "GREEN":
      return { text: "High (green)", tone: "ok" };
    case "YELLOW":
      return { text: "Medium (yellow)", tone: "warn" };
    case "RED":
      return { text: "Low (red)", tone: "bad" };
    default:
      return { text: "Not rated yet", tone: "muted" };
  }
}

export function describeWebhook(subscribed: boolean | null): { text: string; tone: Tone } {
  if (subscribed === true) return { text: "Subscribed", tone: "ok" };
  if (subscribed === false) return { text: "Not subscribed", tone: "bad" };
  return { text: "Not checked yet", tone: "muted" };
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

/** A stored reason as a sentence: capitalised, with ISO instants written as "2026-03-01 10:15 UTC". */
export function humanizeReason(reason: string): string {
  const text = reason.replace(ISO_INSTANT, (iso) => formatUtc(iso));
  return text.charAt(0).toUpperCase() + text.slice(1);
}
