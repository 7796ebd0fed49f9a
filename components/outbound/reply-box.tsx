"use client";

import { useId, useState, type FormEvent, type KeyboardEvent } from "react";
import { formatDuration } from "@/components/time/format-time";
import { useNow } from "@/components/time/use-now";
import { inputClass } from "@/components/connections/form-field";
import { TemplateForm, type TemplateMessage } from "@/components/outbound/template-form";

// The conversation's reply box. Inside the customer's 24-hour window: free-form text (a template
// stays one click away). Outside it: WhatsApp accepts only an approved template, so the box says
// why and offers the template picker instead.

export type SendRequest = { type: "text"; text: { body: string } } | { type: "template"; template: TemplateMessage };

type Props = {
  connectionId: string;
  /** When the window closes (the thread keeps it current as the customer writes); null: never opened. */
  windowExpiresAt: string | null;
  /** The server's figure, for the first render. */
  initialSecondsLeft: number;
  /** Queues the message (showing its bubble at once); answers an error sentence, or null. */
  send: (request: SendRequest, preview: string) => Promise<string | null>;
  /** The customer has never written to this number (the conversation was started with a template). */
  neverWrote: boolean;
};

const MAX_TEXT = 4096;

export function ReplyBox({ connectionId, windowExpiresAt, initialSecondsLeft, send, neverWrote }: Props) {
  const ids = useId();
  const now = useNow(15_000);
  const secondsLeft = now === null || !windowExpiresAt ? initialSecondsLeft : Math.max(0, Math.floor((Date.parse(windowExpiresAt) - now) / 1000));
  const open = secondsLeft > 0;
  const [mode, setMode] = useState<"text" | "template">("text");
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function sendText(event?: FormEvent<HTMLFormElement>) {
    event?.preventDefault();
    const body = text.trim();
    if (!body || busy) return;
    setBusy(true);
    setError(null);
    setText("");
    const failure = await send({ type: "text", text: { body } }, body);
    setBusy(false);
    if (failure) {
      setText((current) => current || body); // give the words back, unless a new draft was started
      setError(failure);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter sends, Shift+Enter starts a new line (as in WhatsApp); not while an IME is composing.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void sendText();
    }
  }

  const sendTemplate = (template: TemplateMessage, preview: string) => send({ type: "template", template }, preview);

  if (!open) {
    return (
      <section aria-label="Reply" className="max-h-[60%] shrink-0 space-y-3 overflow-y-auto border-t border-slate-200 bg-white px-3 py-3 sm:px-4" data-testid="reply-box" data-window="closed">
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="window-closed-reason">
          {neverWrote
            ? "The customer has not written to this number yet: only an approved template can be sent."
            : "The customer last wrote more than 24 hours ago: only an approved template can be sent."}{" "}
          Once they answer, you can reply freely for 24 hours.
        </p>
        <TemplateForm connectionId={connectionId} submitLabel="Send template" onSubmit={sendTemplate} />
      </section>
    );
  }

  return (
    <section aria-label="Reply" className="max-h-[60%] shrink-0 space-y-2 overflow-y-auto border-t border-slate-200 bg-white px-3 py-3 sm:px-4" data-testid="reply-box" data-window="open">
      {mode === "text" ? (
        <form onSubmit={sendText} className="flex items-end gap-2">
          <label htmlFor={`${ids}-text`} className="sr-only">
            Reply
          </label>
          <textarea
            id={`${ids}-text`}
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={onKeyDown}
            rows={Math.min(6, Math.max(1, text.split("\n").length))}
            maxLength={MAX_TEXT}
            placeholder="Type a reply"
            dir="auto"
            aria-describedby={`${ids}-window`}
            className={`${inputClass} resize-none text-base sm:text-sm`}
          />
          <button
            type="submit"
            disabled={busy || !text.trim()}
            className="shrink-0 rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-60"
          >
            Send
          </button>
        </form>
      ) : (
        <TemplateForm connectionId={connectionId} submitLabel="Send template" onSubmit={sendTemplate} />
      )}
      {error ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-500">
        <p id={`${ids}-window`}>
          Free-form replies allowed for <span className="font-medium text-slate-700">{formatDuration(secondsLeft)}</span> more.<span className="hidden sm:inline"> Enter sends, Shift+Enter adds a line.</span>
        </p>
        <button
          type="button"
          onClick={() => setMode(mode === "text" ? "template" : "text")}
          className="rounded-md px-2 py-1 font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          {mode === "text" ? "Send a template instead" : "Write a message instead"}
        </button>
      </div>
    </section>
  );
}
