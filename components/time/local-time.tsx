"use client";

import { formatRelative, formatUtc } from "@/components/time/format-time";
import { useNow } from "@/components/time/use-now";

const FORMATS = {
  datetime: { dateStyle: "medium", timeStyle: "short" },
  time: { hour: "numeric", minute: "2-digit" },
  seconds: { hour: "2-digit", minute: "2-digit", second: "2-digit" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;
const DATETIME_FIELDS: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" };

/**
 * A <time> in the viewer's time zone (UTC until hydrated), with the full date and time as its
 * tooltip. `relative` shows "3 min ago" and keeps it current; `zone` adds the zone's name.
 */
export function LocalTime({ iso, format = "datetime", className, zone = false }: { iso: string; format?: keyof typeof FORMATS | "relative"; className?: string; zone?: boolean }) {
  const now = useNow(format === "relative" ? 30_000 : 3_600_000);
  const date = new Date(iso);
  let text: string;
  if (now === null) text = formatUtc(iso);
  else if (format === "relative") text = formatRelative(iso, now);
  // `zone` names the viewer's zone ("3:00 AM GMT+2") where another zone is shown beside it.
  // (dateStyle/timeStyle cannot be combined with timeZoneName: browsers throw, so the zoned datetime spells its fields out.)
  else text = date.toLocaleString(undefined, zone ? { ...(format === "datetime" ? DATETIME_FIELDS : FORMATS[format]), timeZoneName: "short" } : FORMATS[format]);
  return (
    <time dateTime={iso} title={now === null ? formatUtc(iso) : date.toLocaleString(undefined, { dateStyle: "full", timeStyle: "long" })} className={className}>
      {text}
    </time>
  );
}
