// Time formatting shared by server and client components. Server output (no time zone known) is
// UTC; client components switch to the viewer's zone once hydrated.

const pad = (n: number) => String(n).padStart(2, "0");

/** "2026-03-01 14:05 UTC": stable on the server, used until the client knows the viewer's zone. */
export function formatUtc(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** "3 min ago", "in 2 h" — coarse, for lists. */
export function formatRelative(iso: string, now: number): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const abs = Math.abs(seconds);
  const [value, unit] = abs < 45 ? [0, "now"] : abs < 3600 ? [Math.round(abs / 60), "min"] : abs < 86_400 ? [Math.round(abs / 3600), "h"] : [Math.round(abs / 86_400), "d"];
  // Within a minute either way: a retry due in 20 s is not "just now".
  if (unit === "now") return seconds > 0 ? "in under a minute" : "just now";
  return seconds < 0 ? `${value} ${unit} ago` : `in ${value} ${unit}`;
}

/** "5 h 12 min" — a duration in seconds, for the 24-hour window. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min`;
  return "less than a minute";
}

/** "1.2 s", "340 ms" */
export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${ms} ms`;
}
