"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { MessageView } from "@/lib/conversations/conversations-schemas";
import type { ConversationSend } from "@/lib/conversations/list-conversation-sends";
import { callApi } from "@/lib/http/call-api";
import { dataOnly } from "@/lib/http/envelope";
import { outboundMessageSchema, queuedSchema, type OutboundMessageView } from "@/lib/outbound/outbound-schemas";
import { isStuck, type SendStatus } from "@/components/outbound/send-status";

// The conversation's sends on their way out. A send is a bubble the moment it is asked for (queued),
// gets its outbox id from the 202, and is followed with GET /api/v1/messages/{id} until WhatsApp took
// it (a wamid) and the thread shows the message of that wamid, which carries the ticks from then on.
// A send that failed or died stays a bubble with Meta's reason and a retry button.

const POLL_MS = 1_500;

export type LocalSend = {
  /** Stable React key: a local one until the 202 arrives, then kept. */
  key: string;
  id: string | null;
  status: SendStatus;
  text: string;
  createdAt: string;
  wamid: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  error: OutboundMessageView["error"] | ConversationSend["error"];
};

export function useOutbox(initial: ConversationSend[], messages: MessageView[]) {
  const [sends, setSends] = useState<LocalSend[]>(() => initial.map((s) => ({ ...s, key: s.id })));
  const localKeys = useRef(0);

  const inThread = useMemo(() => new Set(messages.map((m) => m.wamid)), [messages]);
  const shown = useMemo(() => sends.filter((s) => !(s.wamid && inThread.has(s.wamid))), [sends, inThread]);
  const following = useRef(shown);
  useEffect(() => {
    following.current = shown;
  }, [shown]);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    async function poll() {
      const due = following.current.filter((s): s is LocalSend & { id: string } => s.id !== null && !isStuck(s.status));
      if (document.visibilityState === "visible" && due.length > 0) {
        const views = await Promise.all(
          due.slice(0, 10).map(async (s) => {
            const res = await callApi("GET", `/api/v1/messages/${encodeURIComponent(s.id)}`, dataOnly(outboundMessageSchema));
            return res.ok ? res.data : null;
          }),
        );
        const byId = new Map(views.flatMap((v) => (v ? [[v.id, v] as const] : [])));
        if (!stopped && byId.size > 0) {
          setSends((current) =>
            current.map((s) => {
              const v = s.id ? byId.get(s.id) : undefined;
              return v ? { ...s, status: v.status, wamid: v.wamid, attempts: v.attempts, nextAttemptAt: v.nextAttemptAt, error: v.error } : s;
            }),
          );
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    }
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  const send = useCallback(async (body: Record<string, unknown>, preview: string): Promise<string | null> => {
    const key = `local-${++localKeys.current}`;
    const at = new Date().toISOString();
    setSends((current) => [...current, { key, id: null, status: "QUEUED", text: preview, createdAt: at, wamid: null, attempts: 0, nextAttemptAt: null, error: null }]);
    const res = await callApi("POST", "/api/v1/messages", dataOnly(queuedSchema), body);
    if (res.ok) {
      setSends((current) => current.map((s) => (s.key === key ? { ...s, id: res.data.id, status: res.data.status } : s)));
      return null;
    }
    setSends((current) => current.filter((s) => s.key !== key));
    return `Not sent: ${res.message}`;
  }, []);

  const retry = useCallback(async (id: string): Promise<string | null> => {
    const res = await callApi("POST", `/api/v1/messages/${encodeURIComponent(id)}/retry`, dataOnly(queuedSchema));
    if (!res.ok) return res.message;
    setSends((current) => current.map((s) => (s.id === id ? { ...s, status: res.data.status, attempts: 0, error: null } : s)));
    return null;
  }, []);

  return { shown, send, retry };
}
