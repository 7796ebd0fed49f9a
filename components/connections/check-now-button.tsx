"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { checkNowResultSchema } from "@/lib/connections/connection-schemas";
import { HEALTH_LEVEL_LABEL } from "@/lib/connections/health-level";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";

/** "Check now": the token check and the monitor for this number, then the page shows the fresh state. */
export function CheckNowButton({ connectionId }: { connectionId: string }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  async function check() {
    setBusy(true);
    setNote(null);
    const res = await callApi("POST", `/api/v1/connections/${connectionId}/check`, dataOnly(checkNowResultSchema));
    setBusy(false);
    if (!res.ok) {
      setNote({ ok: false, text: res.message });
      return;
    }
    const failed = res.data.checks.filter((c) => c.result !== "HEALTHY").length;
    const level = HEALTH_LEVEL_LABEL[res.data.connection.health.level];
    setNote({ ok: true, text: `Checked just now: ${level}${failed > 0 ? ` (${failed} of ${res.data.checks.length} checks found a problem)` : ""}.` });
    router.refresh();
  }

  return (
    <div className="flex flex-col items-start gap-1 sm:items-end">
      <button
        type="button"
        onClick={check}
        disabled={busy}
        className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-wait disabled:opacity-60"
      >
        {busy ? "Checking…" : "Check now"}
      </button>
      <p role="status" aria-live="polite" className={`text-sm ${note?.ok === false ? "text-red-700" : "text-slate-600"}`}>
        {note?.text ?? ""}
      </p>
    </div>
  );
}
