"use client";

import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { HealthBucket } from "@/lib/connections/connection-schemas";

// The number's health over 7 or 30 days. Each bar is one period's checks, split by result as shares of
// 100% (so a period with more checks does not look "healthier"); the line is the online share. Drawn in
// the browser, so times are in the viewer's own time zone; the tooltip gives the counts.

const SERIES = [
  { key: "healthy", label: "Healthy", color: "#10b981" },
  { key: "warning", label: "Warning", color: "#f59e0b" },
  { key: "critical", label: "Critical", color: "#dc2626" },
  { key: "error", label: "Token rejected", color: "#9f1239" },
  { key: "unknown", label: "No answer", color: "#94a3b8" },
] as const;

const percent = (v: number) => `${Math.round(v * 100)}%`;

function tickLabel(iso: string, days: number): string {
  const d = new Date(iso);
  return days <= 7
    ? d.toLocaleString(undefined, { weekday: "short", hour: "numeric" })
    : d.toLocaleDateString(undefined, { month: "short", day: "numeric" });
}

export function HealthTimelineChart({ buckets, days, summary }: { buckets: HealthBucket[]; days: number; summary: string }) {
  return (
    <figure className="m-0">
      <div role="img" aria-label={summary} className="h-64 w-full sm:h-72">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={buckets} stackOffset="expand" margin={{ top: 8, right: 8, bottom: 0, left: -8 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
            <XAxis dataKey="start" tickFormatter={(v: string) => tickLabel(v, days)} minTickGap={24} tick={{ fontSize: 11, fill: "#475569" }} />
            <YAxis domain={[0, 1]} ticks={[0, 0.25, 0.5, 0.75, 1]} tickFormatter={percent} tick={{ fontSize: 11, fill: "#475569" }} width={44} />
            <Tooltip
              labelFormatter={(v) => new Date(String(v)).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}
              formatter={(value, name) => (name === "Uptime" && typeof value === "number" ? [percent(value), name] : [`${String(value)} checks`, name])}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
            {SERIES.map((s) => (
              <Bar key={s.key} dataKey={s.key} name={s.label} stackId="checks" fill={s.color} fillOpacity={0.85} isAnimationActive={false} />
            ))}
            <Line dataKey="uptime" name="Uptime" type="stepAfter" stroke="#1d4ed8" strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="sr-only">{summary}</figcaption>
    </figure>
  );
}
