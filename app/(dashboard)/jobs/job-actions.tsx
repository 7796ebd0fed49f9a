"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { callApi, type ApiResult } from "@/lib/http/call-api";
import { jobOutcomeSchema, jobPausedSchema, type JobOutcome, type JobPaused } from "@/lib/jobs/jobs-schemas";

// Trigger now / Pause / Resume through the admin API (it accepts a platform admin's session).
// The outcome is announced, then the server page re-renders with the new run or state.

type Action = "trigger" | "stop" | "start";

export function JobActions({ job, paused }: { job: string; paused: boolean }) {
  const router = useRouter();
  const [busy, setBusy] = useState<Action | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  async function act(action: Action) {
    setBusy(action);
    setOutcome(null);
    const url = `/api/v1/cron/${action}/${encodeURIComponent(job)}`;
    const res = action === "trigger" ? await callApi("POST", url, jobOutcomeSchema) : await callApi("POST", url, jobPausedSchema);
    setOutcome({ ok: res.ok, text: describe(action, res) });
    setBusy(null);
    router.refresh();
  }

  const button = "rounded-md px-3 py-1.5 text-sm font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-wait disabled:opacity-60";
  return (
    <div className="flex w-full flex-col gap-1 sm:w-auto sm:items-end">
      <div className="flex gap-2">
        <button type="button" onClick={() => act("trigger")} disabled={busy !== null} className={`${button} flex-1 bg-brand-600 text-white hover:bg-brand-700 sm:flex-none`}>
          {busy === "trigger" ? "Running…" : "Trigger now"}
        </button>
        <button
          type="button"
          onClick={() => act(paused ? "start" : "stop")}
          disabled={busy !== null}
          className={`${button} flex-1 bg-white text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 sm:flex-none`}
        >
          {busy === "start" ? "Resuming…" : busy === "stop" ? "Pausing…" : paused ? "Resume" : "Pause"}
        </button>
      </div>
      <p role="status" aria-live="polite" className={`max-w-xs text-xs sm:text-right ${outcome?.ok ? "text-brand-700" : "text-red-700"}`}>
        {outcome?.text}
      </p>
    </div>
  );
}

function describe(action: Action, res: ApiResult<JobOutcome> | ApiResult<JobPaused>): string {
  if (!res.ok) return res.status === 429 ? "Already running: wait for the current run to finish." : res.message;
  if (action === "stop") return "Paused: scheduled calls are skipped until resumed.";
  if (action === "start") return "Resumed.";
  // A run's message, or why it was skipped (paused, the slot already ran).
  return "message" in res ? res.message : "Done.";
}
