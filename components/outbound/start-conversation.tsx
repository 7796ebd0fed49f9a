"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { ConnectionChoice } from "@/lib/connections/list-connection-choices";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";
import { inputClass } from "@/components/connections/form-field";
import { parseInternationalNumber } from "@/components/outbound/phone-number";
import { queuedSchema } from "@/lib/outbound/outbound-schemas";
import { TemplateForm, type TemplateMessage } from "@/components/outbound/template-form";

// "Send template": the way to write first to a number that has not written (WhatsApp allows only
// an approved template then). Choose the sending number, type the customer's number, fill in the
// template; once queued, its conversation opens (new numbers get one when the send is queued).

export function StartConversation({ connections }: { connections: ConnectionChoice[] }) {
  const ids = useId();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [connectionId, setConnectionId] = useState(connections[0]?.id ?? "");
  const [number, setNumber] = useState("");
  const [numberError, setNumberError] = useState<string | null>(null);

  async function send(template: TemplateMessage): Promise<string | null> {
    const parsed = parseInternationalNumber(number);
    if (!parsed.ok) {
      setNumberError(parsed.message);
      return "Check the customer's number.";
    }
    setNumberError(null);
    const res = await callApi("POST", "/api/v1/messages", dataOnly(queuedSchema), { connectionId, to: parsed.digits, type: "template", template });
    if (!res.ok) return `Not sent: ${res.message}`;
    // The send created (or found) the conversation when it was queued: open it, the send shows there.
    router.push(`/conversations/sent/${encodeURIComponent(res.data.id)}`);
    return null;
  }

  if (connections.length === 0) return null;

  return (
    <div className="w-full">
      <button
        type="button"
        aria-expanded={open}
        aria-controls={`${ids}-panel`}
        onClick={() => setOpen(!open)}
        className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
      >
        {open ? "Close" : "Send template"}
      </button>
      {open ? (
        <section id={`${ids}-panel`} aria-label="Send a template to a new number" className="mt-3 space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="start-conversation">
          <p className="text-sm text-slate-600">To write first to a customer, WhatsApp accepts only a template Meta has approved. Their answer opens the 24-hour window for free-form replies.</p>
          <div className="grid gap-3 sm:grid-cols-2">
            <div>
              <label htmlFor={`${ids}-from`} className="block text-sm font-medium text-slate-800">
                From
              </label>
              <select id={`${ids}-from`} value={connectionId} onChange={(e) => setConnectionId(e.target.value)} className={`mt-1 ${inputClass}`}>
                {connections.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.label}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor={`${ids}-to`} className="block text-sm font-medium text-slate-800">
                Customer&apos;s number
              </label>
              <input
                id={`${ids}-to`}
                value={number}
                onChange={(e) => setNumber(e.target.value)}
                onBlur={() => {
                  const check = parseInternationalNumber(number);
                  setNumberError(!number.trim() || check.ok ? null : check.message);
                }}
                inputMode="tel"
                autoComplete="off"
                placeholder="972501234567"
                aria-invalid={numberError ? true : undefined}
                aria-describedby={`${ids}-to-hint`}
                className={`mt-1 ${inputClass} ${numberError ? "border-red-400" : ""}`}
              />
              <p id={`${ids}-to-hint`} className={`mt-1 text-xs ${numberError ? "text-red-700" : "text-slate-500"}`}>
                {numberError ?? "International format: country code first, digits only."}
              </p>
            </div>
          </div>
          {connectionId ? <TemplateForm key={connectionId} connectionId={connectionId} submitLabel="Send template" onSubmit={send} /> : null}
        </section>
      ) : null}
    </div>
  );
}
