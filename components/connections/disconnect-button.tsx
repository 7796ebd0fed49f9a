"use client";

import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { disconnectResultSchema } from "@/lib/connections/connection-schemas";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";

/** Disconnect, after a confirmation dialog: unsubscribes from the WABA's webhooks and erases the token. */
export function DisconnectButton({ connectionId, title }: { connectionId: string; title: string }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [warning, setWarning] = useState<string | null>(null);

  async function disconnect() {
    setBusy(true);
    setError(null);
    const res = await callApi("DELETE", `/api/v1/connections/${connectionId}`, dataOnly(disconnectResultSchema));
    setBusy(false);
    if (!res.ok) {
      setError(res.message);
      return;
    }
    // Meta refused to unsubscribe (or the subscription is shared): the owner should know before leaving.
    if (res.data.webhook.outcome !== "unsubscribed" && res.data.webhook.message) {
      setWarning(res.data.webhook.message);
      return;
    }
    leave();
  }

  function leave() {
    dialog.current?.close();
    router.push("/");
    router.refresh();
  }

  const buttonBase = "rounded-md px-4 py-2 text-sm font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-wait disabled:opacity-60";
  return (
    <>
      <button
        type="button"
        onClick={() => {
          setError(null);
          setWarning(null);
          dialog.current?.showModal();
        }}
        className={`${buttonBase} border border-red-300 bg-white text-red-700 hover:bg-red-50 focus-visible:outline-red-600`}
      >
        Disconnect…
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={`${connectionId}-dialog-title`}
        aria-describedby={`${connectionId}-dialog-body`}
        // After a warning, however the dialog is closed (button or Escape), the number is gone: leave.
        onClose={() => (warning ? leave() : undefined)}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="p-5">
          <h2 id={`${connectionId}-dialog-title`} className="text-lg font-semibold">
            {warning ? "Disconnected, with a warning" : `Disconnect ${title}?`}
          </h2>
          {warning ? (
            <p id={`${connectionId}-dialog-body`} role="alert" className="mt-2 text-sm text-amber-800">
              {warning}
            </p>
          ) : (
            <div id={`${connectionId}-dialog-body`} className="mt-2 space-y-2 text-sm text-slate-600">
              <p>WhaTrack stops receiving this number&apos;s webhooks and erases its stored access token. Its conversations and health history stay.</p>
              <p>You can connect it again later with a new token.</p>
            </div>
          )}
          {error ? (
            <p role="alert" className="mt-3 rounded-md bg-red-50 p-2 text-sm text-red-800">
              {error}
            </p>
          ) : null}
          <div className="mt-5 flex flex-wrap justify-end gap-2">
            {warning ? (
              <button type="button" autoFocus onClick={() => dialog.current?.close()} className={`${buttonBase} bg-brand-600 text-white hover:bg-brand-700 focus-visible:outline-brand-600`}>
                Back to overview
              </button>
            ) : (
              <>
                <button
                  type="button"
                  autoFocus
                  onClick={() => dialog.current?.close()}
                  disabled={busy}
                  className={`${buttonBase} border border-slate-300 bg-white text-slate-700 hover:bg-slate-50 focus-visible:outline-brand-600`}
                >
                  Cancel
                </button>
                <button type="button" onClick={disconnect} disabled={busy} className={`${buttonBase} bg-red-600 text-white hover:bg-red-700 focus-visible:outline-red-600`}>
                  {busy ? "Disconnecting…" : "Disconnect"}
                </button>
              </>
            )}
          </div>
        </div>
      </dialog>
    </>
  );
}
