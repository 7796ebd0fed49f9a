"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { connectionSchema, type ConnectionView } from "@/lib/connections/connection-schemas";
import { FormField, TextInput, inputClass } from "@/components/connections/form-field";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";

type Props = {
  connectionId: string;
  name: string | null;
  settings: ConnectionView["settings"];
  /** Message types an auto-reply may answer, and the text sent when none is set. */
  replyTypes: readonly string[];
  defaultReplyText: string;
};

const splitEmails = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter(Boolean);

/** Name, auto-reply (on/off, text, message types) and who gets this number's alerts. */
export function ConnectionSettingsForm({ connectionId, name, settings, replyTypes, defaultReplyText }: Props) {
  const router = useRouter();
  const ids = useId();
  const [enabled, setEnabled] = useState(settings.autoReplyEnabled);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (key: string) => String(form.get(key) ?? "").trim();
    setBusy(true);
    setNote(null);
    const res = await callApi("PATCH", `/api/v1/connections/${connectionId}`, dataOnly(connectionSchema), {
      name: text("name") || null,
      autoReplyEnabled: enabled,
      // Disabled controls are left out of the form data: keep their saved values while auto-reply is off.
      ...(enabled ? { autoReplyText: text("autoReplyText") || null, autoReplyTypes: form.getAll("autoReplyTypes").map(String) } : {}),
      alertEmails: splitEmails(text("alertEmails")),
    });
    setBusy(false);
    setNote(res.ok ? { ok: true, text: "Settings saved." } : { ok: false, text: res.message });
    if (res.ok) router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5">
      <FormField id={`${ids}-name`} label="Name" optional>
        <TextInput id={`${ids}-name`} name="name" maxLength={80} defaultValue={name ?? ""} autoComplete="off" />
      </FormField>

      <fieldset className="space-y-4 rounded-md border border-slate-200 p-4">
        <legend className="px-1 text-sm font-medium text-slate-800">Auto-reply</legend>
        <label className="flex items-start gap-3 text-sm">
          <input
            type="checkbox"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
            className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-brand-600 focus-visible:outline-2 focus-visible:outline-brand-600"
          />
          <span>
            <span className="font-medium">Answer message types your team does not handle</span>
            <span className="block text-slate-500">At most once per message, and only inside WhatsApp&apos;s 24-hour window.</span>
          </span>
        </label>
        <FormField id={`${ids}-text`} label="Reply text" hint="Leave empty to send the default text shown as the placeholder.">
          <textarea
            id={`${ids}-text`}
            name="autoReplyText"
            rows={3}
            maxLength={4096}
            defaultValue={settings.autoReplyText ?? ""}
            placeholder={defaultReplyText}
            dir="auto"
            disabled={!enabled}
            aria-describedby={`${ids}-text-hint`}
            className={inputClass}
          />
        </FormField>
        <fieldset disabled={!enabled}>
          <legend className="text-sm font-medium text-slate-800">Reply to these message types</legend>
          <div className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-3">
            {replyTypes.map((type) => (
              <label key={type} className="flex items-center gap-2 text-sm capitalize">
                <input
                  type="checkbox"
                  name="autoReplyTypes"
                  value={type}
                  defaultChecked={settings.autoReplyTypes.includes(type)}
                  className="h-4 w-4 rounded border-slate-300 accent-brand-600 focus-visible:outline-2 focus-visible:outline-brand-600"
                />
                {type}
              </label>
            ))}
          </div>
        </fieldset>
      </fieldset>

      <FormField
        id={`${ids}-emails`}
        label="Alert recipients"
        optional
        hint="Email addresses, one per line. Empty: the workspace's owners get this number's alerts."
      >
        <textarea
          id={`${ids}-emails`}
          name="alertEmails"
          rows={3}
          defaultValue={settings.alertEmails.join("\n")}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${ids}-emails-hint`}
          className={inputClass}
        />
      </FormField>

      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={busy}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-wait disabled:opacity-60"
        >
          {busy ? "Saving…" : "Save settings"}
        </button>
        <p role="status" aria-live="polite" className={`text-sm ${note?.ok === false ? "text-red-700" : "text-emerald-700"}`}>
          {note?.text ?? ""}
        </p>
      </div>
    </form>
  );
}
