"use client";

import { useRouter } from "next/navigation";
import { createContext, useContext, useState, type ReactNode } from "react";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";
import { replayAllResultSchema, replayResultSchema } from "@/lib/webhooks/webhooks-schemas";

// Replay one delivery, or all of them (a bounded batch per press). What happened is shown in one
// live region above the list (a replayed card leaves the list when the page re-renders).

type Outcome = { tone: "ok" | "warn" | "error"; text: string };

const Outcomes = createContext<{ outcome: Outcome | null; announce: (outcome: Outcome) => void }>({ outcome: null, announce: () => {} });

export function ReplayResults({ children }: { children: ReactNode }) {
  const [outcome, announce] = useState<Outcome | null>(null);
  return <Outcomes.Provider value={{ outcome, announce }}>{children}</Outcomes.Provider>;
}

/** The live region where the latest replay's outcome is announced. */
export function ReplayOutcome() {
  const { outcome } = useContext(Outcomes);
  const color = outcome?.tone === "ok" ? "border-brand-100 bg-brand-50 text-brand-700" : outcome?.tone === "warn" ? "border-amber-200 bg-amber-50 text-amber-900" : "border-red-200 bg-red-50 text-red-800";
  return (
    <div role="status" aria-live="polite" data-testid="replay-result">
      {outcome ? <p className={`rounded-md border px-3 py-2 text-sm ${color}`}>{outcome.text}</p> : null}
    </div>
  );
}

const RESULT_TEXT: Record<string, Outcome> = {
  processed: { tone: "ok", text: "Replayed: processed." },
  failed: { tone: "warn", text: "Replayed, but it failed again; it will be retried automatically." },
  dead: { tone: "error", text: "Replayed, but it failed again and is dead." },
  unroutable: { tone: "warn", text: "Replayed, but no connected number matches it yet." },
  malformed: { tone: "error", text: "Replayed, but the payload is not valid: it cannot be processed." },
  not_claimed: { tone: "warn", text: "Another process is handling it right now." },
};

export function ReplayButton({ id, label }: { id: string; label: string }) {
  const router = useRouter();
  const { announce } = useContext(Outcomes);
  const [busy, setBusy] = useState(false);

  async function replay() {
    setBusy(true);
    const res = await callApi("POST", `/api/v1/webhook-events/${encodeURIComponent(id)}/replay`, dataOnly(replayResultSchema));
    const outcome = res.ok ? (RESULT_TEXT[res.data.result] ?? { tone: "ok", text: "Replayed." }) : { tone: "error" as const, text: res.message };
    announce({ ...outcome, text: `${label}: ${outcome.text}` });
    setBusy(false);
    router.refresh();
  }

  return (
    <button type="button" onClick={replay} disabled={busy} aria-label={`Replay ${label}`} className={`w-full sm:w-auto ${buttonClass("secondary")}`}>
      {busy ? "Replaying…" : "Replay"}
    </button>
  );
}

export function ReplayAllButton({ state, count }: { state?: "failed" | "dead"; count: number }) {
  const router = useRouter();
  const { announce: setOutcome } = useContext(Outcomes);
  const [busy, setBusy] = useState(false);

  async function replayAll() {
    setBusy(true);
    const res = await callApi("POST", "/api/v1/webhook-events/replay", dataOnly(replayAllResultSchema), state ? { state } : {});
    if (res.ok) {
      const r = res.data;
      const more = r.hasMore ? " Press again for the next batch." : "";
      setOutcome({
        tone: r.stillFailing > 0 ? "warn" : "ok",
        text: `Replayed ${r.replayed}: ${r.processed} processed, ${r.stillFailing} still failing. ${r.remaining} left.${more}`,
      });
    } else {
      setOutcome({ tone: "error", text: res.message });
    }
    setBusy(false);
    router.refresh();
  }

  return (
    <button type="button" onClick={replayAll} disabled={busy || count === 0} className={`w-full sm:w-auto ${buttonClass("primary")}`}>
      {busy ? "Replaying…" : `Replay all ${state ?? "failed and dead"} (${count})`}
    </button>
  );
}

function buttonClass(kind: "primary" | "secondary"): string {
  const base = "rounded-md px-3 py-2 text-sm font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-60";
  return kind === "primary" ? `${base} bg-brand-600 text-white hover:bg-brand-700` : `${base} bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50`;
}
