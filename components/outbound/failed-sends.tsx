"use client";

import Link from "next/link";
import { useCallback, useEffect, useState } from "react";
import { callApi } from "@/lib/http/call-api";
import { EmptyState } from "@/components/states/empty-state";
import { LocalTime } from "@/components/time/local-time";
import { FailureReason } from "@/components/outbound/failure-reason";
import { dataOnly } from "@/lib/http/envelope";
import { outboundListSchema, queuedSchema, retryAllResultSchema, type OutboundMessageView } from "@/lib/outbound/outbound-schemas";

// The workspace's sends that stopped: FAILED (Meta refused them for good) and DEAD (retried the
// maximum number of times). Each shows Meta's reason; retry one, or every one listed.

const REFRESH_MS = 10_000;

type State = "FAILED" | "DEAD";
type Outcome = { tone: "ok" | "warn" | "error"; text: string };
const STATES: { state: State; label: string; help: string }[] = [
  { state: "DEAD", label: "Dead", help: "Retried the maximum number of times without success." },
  { state: "FAILED", label: "Failed", help: "Refused by WhatsApp for a reason a retry alone may not fix: read it first." },
];

export function FailedSends() {
  const [lists, setLists] = useState<Record<State, OutboundMessageView[]> | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    const list = (state: State) => callApi("GET", `/api/v1/messages?state=${state}&limit=100`, outboundListSchema);
    const [dead, failed] = await Promise.all([list("DEAD"), list("FAILED")]);
    if (!dead.ok || !failed.ok) {
      setLoadError(!dead.ok ? dead.message : !failed.ok ? failed.message : null);
      return;
    }
    setLoadError(null);
    setLists({ DEAD: dead.data, FAILED: failed.data });
  }, []);

  // The list right after hydration, then every 10 s while the tab is visible (sends that give up appear).
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    async function poll() {
      if (document.visibilityState === "visible") await load();
      if (!stopped) timer = setTimeout(poll, REFRESH_MS);
    }
    timer = setTimeout(poll, 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [load]);

  async function retryOne(id: string) {
    setBusy(id);
    const res = await callApi("POST", `/api/v1/messages/${encodeURIComponent(id)}/retry`, dataOnly(queuedSchema));
    setOutcome(res.ok ? { tone: "ok", text: "Queued again." } : { tone: "error", text: res.message });
    setBusy(null);
    await load();
  }

  async function retryAll() {
    setBusy("all");
    const res = await callApi("POST", "/api/v1/messages/retry", dataOnly(retryAllResultSchema), {});
    setOutcome(res.ok ? { tone: "ok", text: `Queued ${res.data.retried} again.` } : { tone: "error", text: res.message });
    setBusy(null);
    await load();
  }

  const all = lists ? [...lists.DEAD, ...lists.FAILED] : [];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold text-slate-900">Failed sends</h1>
          <p className="max-w-2xl text-sm text-slate-600">
            Messages to your customers that did not go out, with WhatsApp&apos;s reason. Sends that failed for a passing reason are retried automatically and only land here once they gave up.
          </p>
        </div>
        {all.length > 0 ? (
          <button type="button" onClick={retryAll} disabled={busy !== null} className={buttonClass("primary")}>
            {busy === "all" ? "Retrying…" : `Retry all (${all.length})`}
          </button>
        ) : null}
      </div>

      <div role="status" aria-live="polite" data-testid="retry-result">
        {outcome ? <p className={`rounded-md border px-3 py-2 text-sm ${TONE[outcome.tone]}`}>{outcome.text}</p> : null}
      </div>

      {loadError ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          Could not load the failed sends: {loadError}
        </p>
      ) : lists === null ? (
        <p role="status" className="text-sm text-slate-600">
          Loading…
        </p>
      ) : all.length === 0 ? (
        <EmptyState title="No failed sends">Every message you sent went out. A send WhatsApp refuses, or that gives up after its retries, shows up here with the reason.</EmptyState>
      ) : (
        STATES.map(({ state, label, help }) =>
          lists[state].length === 0 ? null : (
            <section key={state} aria-labelledby={`sends-${state}`} className="space-y-2">
              <h2 id={`sends-${state}`} className="text-sm font-semibold text-slate-800">
                {label} <span className="ml-1 rounded-full bg-slate-100 px-1.5 text-xs text-slate-700">{lists[state].length}</span>
                <span className="ml-2 font-normal text-slate-500">{help}</span>
              </h2>
              <ul className="space-y-3">
                {lists[state].map((s) => (
                  <SendCard key={s.id} send={s} busy={busy !== null} retrying={busy === s.id} onRetry={() => retryOne(s.id)} />
                ))}
              </ul>
            </section>
          ),
        )
      )}
    </div>
  );
}

function SendCard({ send: s, busy, retrying, onRetry }: { send: OutboundMessageView; busy: boolean; retrying: boolean; onRetry: () => void }) {
  const dead = s.status === "DEAD";
  const who = `+${s.to}`;
  return (
    <li className="rounded-lg border border-slate-200 bg-white p-4" data-testid="failed-send" data-status={s.status.toLowerCase()}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0 flex-1 space-y-1">
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <span className={`rounded-full px-2 py-0.5 text-xs font-semibold ${dead ? "bg-red-100 text-red-800" : "bg-amber-100 text-amber-900"}`}>{dead ? "Dead" : "Failed"}</span>
            <span className="font-medium text-slate-900">
              {s.type} to {who}
            </span>
            <span className="text-xs text-slate-500">
              asked for <LocalTime iso={s.createdAt} />
            </span>
            <span className="text-xs text-slate-500">
              · {s.attempts} attempt{s.attempts === 1 ? "" : "s"}
            </span>
          </p>
          <FailureReason heading="WhatsApp said:" error={s.error ?? { title: "No reason recorded" }} />
          <Link href={`/conversations/sent/${encodeURIComponent(s.id)}`} className="inline-block text-xs font-medium text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
            Open the conversation →
          </Link>
        </div>
        <button type="button" onClick={onRetry} disabled={busy} aria-label={`Retry the ${s.type} to ${who}`} className={`w-full sm:w-auto ${buttonClass("secondary")}`}>
          {retrying ? "Retrying…" : "Retry"}
        </button>
      </div>
    </li>
  );
}

const TONE: Record<Outcome["tone"], string> = {
  ok: "border-brand-100 bg-brand-50 text-brand-700",
  warn: "border-amber-200 bg-amber-50 text-amber-900",
  error: "border-red-200 bg-red-50 text-red-800",
};

function buttonClass(kind: "primary" | "secondary"): string {
  const base = "rounded-md px-3 py-2 text-sm font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-60";
  return kind === "primary" ? `${base} bg-brand-600 text-white hover:bg-brand-700` : `${base} bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50`;
}
