"use client";

import { useId, useState, type FormEvent } from "react";
import { FormField, TextInput } from "@/components/connections/form-field";
import { LocalTime } from "@/components/time/local-time";
import { apiKeySchema, createdApiKeySchema, type ApiKeyView, type CreatedApiKey } from "@/lib/api-keys/api-keys-schemas";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";

const buttonClass =
  "rounded-md px-3 py-1.5 text-sm font-semibold focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-wait disabled:opacity-60";

/** Create (the key shown once, with a copy button), list and revoke the workspace's API keys. */
export function ApiKeysSection({ initialKeys }: { initialKeys: ApiKeyView[] }) {
  const ids = useId();
  const [keys, setKeys] = useState(initialKeys);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const name = String(new FormData(formElement).get("name") ?? "");
    setBusy(true);
    setError(null);
    const res = await callApi("POST", "/api/v1/api-keys", dataOnly(createdApiKeySchema), { name });
    setBusy(false);
    if (!res.ok) return setError(res.message);
    formElement.reset();
    setCreated(res.data);
    const { id, name: keyName, prefix, createdAt } = res.data;
    setKeys((list) => [{ id, name: keyName, prefix, createdAt, lastUsedAt: null, revokedAt: null }, ...list]);
  }

  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        Keys let your own systems call the WhaTrack API for this workspace (send <code>Authorization: Bearer &lt;key&gt;</code>). WhaTrack keeps only a hash:
        a key is shown once, when it is created.
      </p>
      <form method="post" onSubmit={onCreate} className="flex max-w-xl flex-wrap items-end gap-3">
        <div className="min-w-60 flex-1">
          <FormField id={`${ids}-name`} label="Key name">
            <TextInput id={`${ids}-name`} name="name" required maxLength={100} placeholder="CRM integration" />
          </FormField>
        </div>
        <button type="submit" disabled={busy} className={`${buttonClass} bg-brand-600 py-2 text-white shadow-sm hover:bg-brand-700 focus-visible:outline-brand-600`}>
          {busy ? "Creating…" : "Create key"}
        </button>
      </form>
      <p role="status" aria-live="polite" className="text-sm text-red-700">
        {error}
      </p>
      {created ? <NewKey created={created} onDone={() => setCreated(null)} /> : null}
      {keys.length === 0 ? (
        <p className="text-sm text-slate-500">No API keys yet.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white" aria-label="API keys">
          {keys.map((k) => (
            <KeyRow key={k.id} apiKey={k} onRevoked={(next) => setKeys((list) => list.map((x) => (x.id === next.id ? next : x)))} />
          ))}
        </ul>
      )}
    </div>
  );
}

function NewKey({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(created.key);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  }
  return (
    <div data-testid="new-api-key" className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4">
      <p className="text-sm font-medium text-amber-900">Copy the key for “{created.name}” now: it will not be shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <input readOnly value={created.key} aria-label="New API key" onFocus={(e) => e.currentTarget.select()} className="min-w-0 flex-1 rounded-md border border-amber-300 bg-white px-3 py-2 font-mono text-sm" />
        <button type="button" onClick={copy} className={`${buttonClass} border border-amber-400 bg-white text-amber-900 hover:bg-amber-100 focus-visible:outline-amber-600`}>
          {copied ? "Copied" : "Copy"}
        </button>
        <button type="button" onClick={onDone} className={`${buttonClass} text-amber-900 hover:bg-amber-100 focus-visible:outline-amber-600`}>
          Done
        </button>
      </div>
    </div>
  );
}

function KeyRow({ apiKey, onRevoked }: { apiKey: ApiKeyView; onRevoked: (next: ApiKeyView) => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function revoke() {
    setBusy(true);
    setError(null);
    const res = await callApi("DELETE", `/api/v1/api-keys/${encodeURIComponent(apiKey.id)}`, dataOnly(apiKeySchema));
    setBusy(false);
    setConfirming(false);
    if (!res.ok) return setError(res.message);
    onRevoked(res.data);
  }

  return (
    <li data-testid="api-key" className="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 px-4 py-3 text-sm">
      <span className="min-w-0">
        <span className="font-medium text-slate-900">{apiKey.name}</span> <code className="text-slate-600">{apiKey.prefix}…</code>
        <span className="block text-slate-600">
          created <LocalTime iso={apiKey.createdAt} />
          {" · "}
          {apiKey.lastUsedAt ? (
            <>
              last used <LocalTime iso={apiKey.lastUsedAt} format="relative" />
            </>
          ) : (
            "never used"
          )}
        </span>
      </span>
      {apiKey.revokedAt ? (
        <span className="rounded bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
          revoked <LocalTime iso={apiKey.revokedAt} />
        </span>
      ) : confirming ? (
        <span className="flex items-center gap-2">
          <span className="text-slate-700">Revoke? Calls with it fail at once.</span>
          <button type="button" disabled={busy} onClick={revoke} className={`${buttonClass} bg-red-600 text-white hover:bg-red-700 focus-visible:outline-red-600`}>
            {busy ? "Revoking…" : "Revoke"}
          </button>
          <button type="button" onClick={() => setConfirming(false)} className={`${buttonClass} text-slate-700 hover:bg-slate-100 focus-visible:outline-slate-600`}>
            Cancel
          </button>
        </span>
      ) : (
        <button type="button" onClick={() => setConfirming(true)} className={`${buttonClass} border border-red-300 bg-white text-red-700 hover:bg-red-50 focus-visible:outline-red-600`}>
          Revoke…
        </button>
      )}
      {error ? (
        <p role="alert" className="basis-full text-red-700">
          {error}
        </p>
      ) : null}
    </li>
  );
}

