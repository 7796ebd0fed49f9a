// Times as an owner reads them in an alert: durations in words, instants in UTC (recipients are
// anywhere, and a named zone avoids guessing theirs).

const UNITS = [
  { name: "day", ms: 24 * 60 * 60_000 },
  { name: "hour", ms: 60 * 60_000 },
  { name: "minute", ms: 60_000 },
] as const;

/** "6 hours 12 minutes", "2 days 3 hours", "less than a minute": the two largest non-zero units. */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.floor(ms / 60_000) * 60_000);
  const parts: string[] = [];
  for (const unit of UNITS) {
    const n = Math.floor(rest / unit.ms);
    rest -= n * unit.ms;
    if (n > 0) parts.push(`${n} ${unit.name}${n === 1 ? "" : "s"}`);
  }
  return parts.length === 0 ? "less than a minute" : parts.slice(0, 2).join(" ");
}

/** "2024-01-15 10:30 UTC". */
export function formatUtc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
