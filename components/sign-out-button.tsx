"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sessionsEndedSchema, signedOutSchema } from "@/lib/auth/auth-schemas";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";

// Sign out (this device) and sign out everywhere (every device of this user): both end sessions on
// the server, then go to the sign-in page.

const linkButton =
  "rounded-md px-3 py-1.5 text-sm text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600 disabled:opacity-50";

export function SignOutButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        await callApi("POST", "/api/v1/auth/sign-out", dataOnly(signedOutSchema));
        router.push("/sign-in");
        router.refresh();
      }}
      className={linkButton}
    >
      Sign out
    </button>
  );
}

export function SignOutEverywhereButton() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="space-y-2">
      <button
        type="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          const res = await callApi("DELETE", "/api/v1/auth/sessions", dataOnly(sessionsEndedSchema));
          if (!res.ok) {
            setError(res.message);
            setBusy(false);
            return;
          }
          router.push("/sign-in");
          router.refresh();
        }}
        className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-red-700 ring-1 ring-red-200 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-600 disabled:cursor-wait disabled:opacity-60"
      >
        {busy ? "Signing out everywhere…" : "Sign out everywhere"}
      </button>
      <p role="alert" className="text-sm text-red-700">
        {error}
      </p>
    </div>
  );
}
