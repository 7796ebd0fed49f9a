"use client";

import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { FormField, TextInput } from "@/components/connections/form-field";
import { connectionSchema } from "@/lib/connections/connection-schemas";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";

type Defaults = { wabaId?: string; phoneNumberId?: string; name?: string };

/** WABA id, phone number id and a system-user token: Meta checks them before anything is saved. */
export function ConnectNumberForm({ defaults }: { defaults: Defaults }) {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showToken, setShowToken] = useState(false);
  const errorBox = useRef<HTMLDivElement>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    setBusy(true);
    setError(null);
    const res = await callApi("POST", "/api/v1/connections", dataOnly(connectionSchema), {
      name: text("name") || undefined,
      wabaId: text("wabaId"),
      phoneNumberId: text("phoneNumberId"),
      accessToken: text("accessToken"),
    });
    if (res.ok) {
      router.push(`/connections/${res.data.id}`);
      router.refresh();
      return;
    }
    setBusy(false);
    setError(res.message);
    requestAnimationFrame(() => errorBox.current?.focus());
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5">
      {error ? (
        <div ref={errorBox} id="connect-error" role="alert" tabIndex={-1} className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800 focus:outline-2 focus:outline-red-600">
          <p className="font-semibold">The number was not connected</p>
          <p className="mt-1 break-words">{error}</p>
        </div>
      ) : null}

      <FormField id="name" label="Name" optional hint="How this number appears in WhaTrack, e.g. “Front desk”.">
        <TextInput id="name" name="name" maxLength={80} defaultValue={defaults.name} autoComplete="off" hasHint />
      </FormField>

      <FormField id="wabaId" label="WhatsApp Business Account ID" hint="In Meta's WhatsApp Manager or the app dashboard under WhatsApp › API Setup.">
        <TextInput id="wabaId" name="wabaId" required inputMode="numeric" pattern="\d{5,25}" defaultValue={defaults.wabaId} autoComplete="off" hasHint />
      </FormField>

      <FormField id="phoneNumberId" label="Phone number ID" hint="The number's id (not the phone number itself), shown next to it in API Setup.">
        <TextInput id="phoneNumberId" name="phoneNumberId" required inputMode="numeric" pattern="\d{5,25}" defaultValue={defaults.phoneNumberId} autoComplete="off" hasHint />
      </FormField>

      <FormField
        id="accessToken"
        label="System-user access token"
        hint="A permanent token with whatsapp_business_management and whatsapp_business_messaging. It is stored encrypted and never shown again: WhaTrack displays only its last four characters."
      >
        <div className="flex gap-2">
          <TextInput
            id="accessToken"
            name="accessToken"
            type={showToken ? "text" : "password"}
            required
            minLength={20}
            autoComplete="off"
            spellCheck={false}
            autoCapitalize="off"
            className="font-mono"
            hasHint
          />
          <button
            type="button"
            onClick={() => setShowToken((s) => !s)}
            aria-pressed={showToken}
            aria-controls="accessToken"
            className="shrink-0 rounded-md border border-slate-300 bg-white px-3 text-sm text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600"
          >
            {showToken ? "Hide" : "Show"}
          </button>
        </div>
      </FormField>

      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={busy}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-wait disabled:opacity-60"
        >
          {busy ? "Checking with Meta…" : "Connect number"}
        </button>
        <p role="status" aria-live="polite" className="text-sm text-slate-600">
          {busy ? "Checking the number and subscribing to its webhooks. This takes a few seconds." : ""}
        </p>
      </div>
    </form>
  );
}
