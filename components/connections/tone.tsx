import type { ReactNode } from "react";
import type { Tone } from "@/lib/connections/format-health";

const DOT: Record<Tone, string> = { ok: "bg-emerald-500", warn: "bg-amber-500", bad: "bg-red-500", muted: "bg-slate-300" };
const TEXT: Record<Tone, string> = { ok: "text-slate-900", warn: "text-amber-800", bad: "text-red-700", muted: "text-slate-500" };

/** A value with a coloured dot; the words carry the meaning, the colour only repeats it. */
export function ToneText({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span className={`inline-flex items-center gap-1.5 ${TEXT[tone]}`} title={title}>
      <span aria-hidden="true" className={`h-2 w-2 shrink-0 rounded-full ${DOT[tone]}`} />
      {children}
    </span>
  );
}

/** One labelled fact in a <dl>. */
export function Fact({ label, children, className = "" }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className={`min-w-0 ${className}`}>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm break-words">{children}</dd>
    </div>
  );
}
