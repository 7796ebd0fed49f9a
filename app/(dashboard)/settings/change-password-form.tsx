"use client";

import { useId, useState, type FormEvent } from "react";
import { FormField, TextInput } from "@/components/connections/form-field";
import { passwordChangedSchema } from "@/lib/auth/auth-schemas";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";

/** Current and new password; on success, every other device is signed out (the API says how many). */
export function ChangePasswordForm() {
  const ids = useId();
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setNote(null);
    const res = await callApi("POST", "/api/v1/auth/password", dataOnly(passwordChangedSchema), {
      currentPassword: String(form.get("currentPassword") ?? ""),
      newPassword: String(form.get("newPassword") ?? ""),
    });
    setBusy(false);
    if (!res.ok) return setNote({ ok: false, text: res.message });
    formElement.reset();
    const ended = res.data.endedSessions;
    setNote({ ok: true, text: `Password changed. ${ended === 0 ? "No other device was signed in." : `Signed out ${ended} other ${ended === 1 ? "device" : "devices"}.`}` });
  }

  return (
    // method="post": a native submit (script not loaded yet) must not put passwords into the URL.
    <form method="post" onSubmit={onSubmit} className="max-w-sm space-y-4">
      <FormField id={`${ids}-current`} label="Current password">
        <TextInput id={`${ids}-current`} name="currentPassword" type="password" autoComplete="current-password" required />
      </FormField>
      <FormField id={`${ids}-new`} label="New password" hint="At least 10 characters. Every other device is signed out.">
        <TextInput id={`${ids}-new`} name="newPassword" type="password" autoComplete="new-password" required minLength={10} hasHint />
      </FormField>
      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={busy}
          className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-wait disabled:opacity-70"
        >
          {busy ? "Changing…" : "Change password"}
        </button>
        <p role="status" aria-live="polite" className={`text-sm ${note?.ok ? "text-brand-700" : "text-red-700"}`}>
          {note?.text}
        </p>
      </div>
    </form>
  );
}
