"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { signedInSchema } from "@/lib/auth/auth-schemas";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";

export type AuthField = {
  name: string;
  label: string;
  type: "text" | "email" | "password";
  autoComplete: string;
  required?: boolean;
  minLength?: number;
  hint?: string;
};

/** Posts the fields as JSON to an auth route; shows its error message, or goes to `redirectTo` (the dashboard). */
export function AuthForm({ endpoint, fields, submitLabel, busyLabel, redirectTo = "/" }: { endpoint: string; fields: AuthField[]; submitLabel: string; busyLabel: string; redirectTo?: string }) {
  const router = useRouter();
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const values = Object.fromEntries(new FormData(event.currentTarget).entries());
    const body = Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === "string" && v !== ""));
    const res = await callApi("POST", endpoint, dataOnly(signedInSchema), body);
    if (res.ok) {
      router.replace(redirectTo);
      router.refresh();
      return;
    }
    setError(res.message);
    setBusy(false);
  }

  return (
    // method="post": should the script not run (blocked, not yet loaded), a native submit must not put the
    // password into the URL, and so into history and access logs.
    <form method="post" onSubmit={onSubmit} className="space-y-4" aria-describedby={error ? `${id}-error` : undefined}>
      {fields.map((field) => (
        <div key={field.name}>
          <label htmlFor={`${id}-${field.name}`} className="block text-sm font-medium text-slate-800">
            {field.label}
            {field.required ? null : <span className="font-normal text-slate-500"> (optional)</span>}
          </label>
          <input
            id={`${id}-${field.name}`}
            name={field.name}
            type={field.type}
            autoComplete={field.autoComplete}
            required={field.required}
            minLength={field.minLength}
            aria-describedby={field.hint ? `${id}-${field.name}-hint` : undefined}
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:outline-2 focus:outline-brand-600 sm:text-sm"
          />
          {field.hint ? (
            <p id={`${id}-${field.name}-hint`} className="mt-1 text-xs text-slate-500">
              {field.hint}
            </p>
          ) : null}
        </div>
      ))}
      <div id={`${id}-error`} role="alert" aria-live="assertive" className={error ? "rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" : "sr-only"}>
        {error}
      </div>
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded-md bg-brand-600 px-4 py-2.5 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-wait disabled:opacity-70"
      >
        {busy ? busyLabel : submitLabel}
      </button>
    </form>
  );
}
