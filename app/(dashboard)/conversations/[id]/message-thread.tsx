"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { messageListSchema, type MessageList, type MessageView } from "@/lib/conversations/conversations-schemas";
import type { ConversationSend } from "@/lib/conversations/list-conversation-sends";
import { callApi } from "@/lib/http/call-api";
import { LocalTime } from "@/components/time/local-time";
import { useNow } from "@/components/time/use-now";
import { StatusTicks } from "@/components/outbound/status-ticks";
import { ReplyBox, type SendRequest } from "@/components/outbound/reply-box";
import { SendBubble } from "@/components/outbound/send-bubble";
import { useOutbox } from "@/components/outbound/use-outbox";
import { FailureReason } from "@/components/outbound/failure-reason";
import { WindowBadge } from "@/app/(dashboard)/conversations/window-badge";

// The chat: the latest page from the server, then the messages API polled every 2.5 s so new
// messages and status changes (ticks) appear without a reload. Older pages load on demand. Below
// it the reply box: a send shows as its own bubble at once (queued), follows the outbox until
// WhatsApp took it, and gives way to the thread's message of the same wamid.

const POLL_MS = 2_500;
const PAGE = 50;
const WINDOW_MS = 24 * 60 * 60 * 1000;

type Props = {
  conversationId: string;
  initial: MessageList;
  window: { expiresAt: string | null; secondsLeft: number };
  /** The number the conversation is with, and the customer's wa_id: where replies go. */
  connectionId: string;
  to: string;
  sends: ConversationSend[];
  /** The customer has written at least once (else the window was never opened). */
  customerWrote: boolean;
};

type Live = "live" | "retrying" | "gone";

export function MessageThread({ conversationId, initial, window: initialWindow, connectionId, to, sends: initialSends, customerWrote }: Props) {
  const [messages, setMessages] = useState<MessageView[]>(initial.data);
  const [olderCursor, setOlderCursor] = useState<string | null>(initial.nextCursor);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [olderError, setOlderError] = useState(false);
  const [live, setLive] = useState<Live>("live");
  const scroller = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const heightBeforePrepend = useRef<number | null>(null);
  const latest = useRef(messages);
  useEffect(() => {
    latest.current = messages;
  }, [messages]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    async function poll() {
      if (document.visibilityState === "visible") {
        try {
          const page = await callApi("GET", `/api/v1/conversations/${conversationId}/messages?limit=${PAGE}`, messageListSchema);
          if (!page.ok && (page.status === 401 || page.status === 404)) {
            setLive("gone");
            return;
          }
          if (!page.ok) throw new Error(page.message);
          // More arrived than one page holds: start over from the latest page rather than leave a gap.
          const newestKnown = latest.current.at(-1);
          const oldestPolled = page.data[0];
          if (page.nextCursor && newestKnown && oldestPolled && compare(oldestPolled, newestKnown) > 0) {
            setOlderCursor(page.nextCursor);
            setMessages(page.data);
          } else {
            setMessages((current) => merge(current, page.data));
          }
          setLive("live");
        } catch {
          setLive("retrying");
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    }
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [conversationId]);

  const windowExpiresAt = latestWindow(initialWindow.expiresAt, messages);
  const outbox = useOutbox(initialSends, messages);

  // Keep the view pinned to the newest message (or send) unless the reader scrolled up; keep the
  // reader's place when older messages are added above.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (heightBeforePrepend.current !== null) {
      el.scrollTop += el.scrollHeight - heightBeforePrepend.current;
      heightBeforePrepend.current = null;
    } else if (atBottom.current) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, outbox.shown]);

  async function loadOlder() {
    if (!olderCursor) return;
    setLoadingOlder(true);
    setOlderError(false);
    try {
      const page = await callApi("GET", `/api/v1/conversations/${conversationId}/messages?limit=${PAGE}&cursor=${encodeURIComponent(olderCursor)}`, messageListSchema);
      if (!page.ok) throw new Error(page.message);
      heightBeforePrepend.current = scroller.current?.scrollHeight ?? null;
      setMessages((current) => merge(current, page.data));
      setOlderCursor(page.nextCursor);
    } catch {
      setOlderError(true);
    }
    setLoadingOlder(false);
  }

  const queue = outbox.send;
  const send = useCallback(
    (request: SendRequest, preview: string) => {
      atBottom.current = true; // follow one's own message down
      return queue({ connectionId, to, ...request }, preview);
    },
    [queue, connectionId, to],
  );

  return (
    <section aria-label="Messages" className="flex min-h-0 flex-1 flex-col overflow-hidden rounded-lg border border-slate-200 bg-[#efeae2]">
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 bg-white px-4 py-2 text-xs">
        <WindowBadge expiresAt={windowExpiresAt} secondsLeft={initialWindow.secondsLeft} />
        <LiveIndicator live={live} />
      </div>
      <div ref={scroller} onScroll={(e) => (atBottom.current = isNearBottom(e.currentTarget))} className="min-h-0 flex-1 overflow-y-auto px-3 py-4 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600 sm:px-6"
        role="region"
        tabIndex={0}
        aria-label="Message history, newest at the bottom"
      >
        {olderCursor ? (
          <div className="mb-4 text-center">
            <button
              type="button"
              onClick={loadOlder}
              disabled={loadingOlder}
              className="rounded-full bg-white px-3 py-1 text-xs font-medium text-slate-700 shadow-sm ring-1 ring-slate-200 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600 disabled:opacity-60"
            >
              {loadingOlder ? "Loading…" : "Load older messages"}
            </button>
            {olderError ? (
              <p role="alert" className="mt-1 text-xs text-red-700">
                Could not load older messages. Try again.
              </p>
            ) : null}
          </div>
        ) : messages.length > 0 ? (
          <p className="mb-4 text-center text-xs text-slate-500">Start of the conversation</p>
        ) : null}
        {messages.length === 0 && outbox.shown.length === 0 ? (
          <p className="py-10 text-center text-sm text-slate-600">No messages in this conversation yet.</p>
        ) : (
          <div role="log" aria-live="polite" aria-relevant="additions" className="space-y-1.5">
            <Thread messages={messages} />
            {outbox.shown.map((s) => (
              <SendBubble key={s.key} send={s} onRetry={outbox.retry} />
            ))}
          </div>
        )}
      </div>
      <ReplyBox connectionId={connectionId} windowExpiresAt={windowExpiresAt} initialSecondsLeft={initialWindow.secondsLeft} send={send} neverWrote={!customerWrote && !windowExpiresAt} />
    </section>
  );
}

function Thread({ messages }: { messages: MessageView[] }) {
  // Day separators in the viewer's zone once hydrated (UTC on the server, so both render alike first).
  const now = useNow(3_600_000);
  const timeZone = now === null ? "UTC" : undefined;
  const day = (iso: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(iso));
  const label = (iso: string) => new Intl.DateTimeFormat(undefined, { timeZone, dateStyle: "medium" }).format(new Date(iso));
  return messages.map((m, i) => {
    const previous = messages[i - 1];
    const newDay = !previous || day(previous.timestamp) !== day(m.timestamp);
    return (
      <div key={m.id}>
        {newDay ? (
          <div className="my-3 text-center">
            <span className="rounded-md bg-white/90 px-2 py-0.5 text-xs font-medium text-slate-600 shadow-sm">{label(m.timestamp)}</span>
          </div>
        ) : null}
        <Bubble message={m} />
      </div>
    );
  });
}

function Bubble({ message: m }: { message: MessageView }) {
  const outbound = m.direction === "OUTBOUND";
  const isPlaceholder = m.text === null || /^\[.*\]$/.test(m.text);
  return (
    <div className={`flex ${outbound ? "justify-end" : "justify-start"}`} data-testid="message" data-direction={m.direction.toLowerCase()} data-status={m.status.toLowerCase()} data-wamid={m.wamid}>
      <div className={`max-w-[85%] rounded-lg px-3 py-1.5 text-sm shadow-sm sm:max-w-[70%] ${outbound ? "rounded-tr-none bg-[#d9fdd3]" : "rounded-tl-none bg-white"}`}>
        <span className="sr-only">{outbound ? "You" : "Customer"}: </span>
        {m.autoReply ? <p className="text-[11px] font-medium uppercase tracking-wide text-brand-700">Auto-reply</p> : null}
        <p dir="auto" className={`whitespace-pre-wrap break-words ${isPlaceholder ? "italic text-slate-600" : "text-slate-900"}`}>{m.text ?? `[${m.type}]`}</p>
        {m.status === "FAILED" ? <FailureReason error={m.error ?? { code: null, title: "No reason given", details: null }} /> : null}
        <p className="mt-0.5 flex items-center justify-end gap-1 text-[11px] text-slate-500">
          <LocalTime iso={m.timestamp} format="time" />
          {outbound ? <StatusTicks status={m.status} /> : null}
        </p>
      </div>
    </div>
  );
}

function LiveIndicator({ live }: { live: Live }) {
  const text = live === "live" ? "Live" : live === "retrying" ? "Reconnecting…" : "This conversation is no longer available";
  return (
    <span aria-live="polite" className={`inline-flex items-center gap-1.5 ${live === "live" ? "text-slate-500" : "text-amber-800"}`}>
      <span aria-hidden className={`h-2 w-2 rounded-full ${live === "live" ? "animate-pulse bg-brand-500" : "bg-amber-500"}`} />
      {text}
    </span>
  );
}

function compare(a: MessageView, b: MessageView): number {
  const t = Date.parse(a.timestamp) - Date.parse(b.timestamp);
  return t !== 0 ? t : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Current messages updated with fresher copies (new ticks) and new ones, in order. */
function merge(current: MessageView[], incoming: MessageView[]): MessageView[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  let changed = false;
  for (const m of incoming) {
    const known = byId.get(m.id);
    if (!known || known.status !== m.status || known.error?.code !== m.error?.code) {
      byId.set(m.id, m);
      changed = true;
    }
  }
  return changed ? [...byId.values()].sort(compare) : current;
}

/** The window as the messages show it: a newer customer message extends it past the server's figure. */
function latestWindow(expiresAt: string | null, messages: MessageView[]): string | null {
  let latest = expiresAt ? Date.parse(expiresAt) : 0;
  for (const m of messages) {
    if (m.direction === "INBOUND" && m.type !== "system") latest = Math.max(latest, Date.parse(m.timestamp) + WINDOW_MS);
  }
  return latest > 0 ? new Date(latest).toISOString() : null;
}

function isNearBottom(el: HTMLElement): boolean {
  return el.scrollHeight - el.scrollTop - el.clientHeight < 80;
}
