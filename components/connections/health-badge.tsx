import type { HealthLevel } from "@/lib/connections/connection-schemas";
import { HEALTH_LEVEL_LABEL } from "@/lib/connections/health-level";

const STYLE: Record<HealthLevel, { box: string; mark: string }> = {
  HEALTHY: { box: "bg-emerald-50 text-emerald-800 ring-emerald-600/25", mark: "✓" },
  WARNING: { box: "bg-amber-50 text-amber-900 ring-amber-600/30", mark: "!" },
  CRITICAL: { box: "bg-red-50 text-red-800 ring-red-600/30", mark: "✕" },
  INVALID_TOKEN: { box: "bg-rose-100 text-rose-900 ring-rose-700/30", mark: "✕" },
  UNKNOWN: { box: "bg-slate-100 text-slate-700 ring-slate-500/20", mark: "?" },
  REMOVED: { box: "bg-slate-100 text-slate-500 ring-slate-400/20", mark: "–" },
};

/** The number's health in words (Healthy, Warning, Critical, Invalid token), with a matching colour and mark. */
export function HealthBadge({ level, size = "md" }: { level: HealthLevel; size?: "md" | "lg" }) {
  const { box, mark } = STYLE[level];
  const sizing = size === "lg" ? "px-3 py-1 text-sm" : "px-2 py-0.5 text-xs";
  return (
    <span className={`inline-flex shrink-0 items-center gap-1 rounded-full font-semibold ring-1 ring-inset ${box} ${sizing}`} data-health={level}>
      <span aria-hidden="true">{mark}</span>
      {HEALTH_LEVEL_LABEL[level]}
    </span>
  );
}
