"use client";

import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { MessageView } from "@/lib/conversations/conversations-schemas";
import type { ConversationSends } from "@/lib/conversations/list-conversation-sends";
import { callApi } from "@/lib/http/call-api";
import { sendAcceptedSchema, sendDetailSchema, type SendView } from "@/components/outbound/send-api";
import { isStuck, type SendStatus } from "@/components/outbound/send-status";

// The conversation's sends on their way out. A send is a bubble the moment it is asked for (queued),
// gets its outbox id from the 202, is followed with GET /api/v1/messages/{id} until WhatsApp took it
// (a wamid) and the thread shows the message of that wamid, which then carries the ticks. A send that
// failed or died stays as a bubble with Meta's reason and a retry button.

const POLL_MS = 1_500;

export type LocalSend = {
  /** Stable React key: the outbox id, or a local one until the 202 arrives. */
  key: string;
  id: string | null;
  status: SendStatus;
  text: string;
  createdAt: string;
  wamid: string | null;
  /** A send retried from a failed message: its old wamid is not this attempt's. */
  staleWamid?: string;
  attempts: number;
  nextAttemptAt: string | null;
  error: SendView["error"];
};

type SendBody = Record<string, unknown>;

export function useOutbox(initial: ConversationSends, messages: MessageView[]) {
  const [sends, setSends] = useState<LocalSend[]>(() => initial.pending.map((s) => ({ ...s, key: s.id })));
  const [byWamid, setByWamid] = useState<Record<string, string>>(initial.byWamid);
  const [retried, setRetried] = useState<ReadonlySet<string>>(() => new Set());
  const localKeys = useRef(0);

  const inThread = useMemo(() => new Set(messages.map((m) => m.wamid)), [messages]);
  const shown = useMemo(() => sends.filter((s) => !(s.wamid && s.wamid !== s.staleWamid && inThread.has(s.wamid))), [sends, inThread]);
  const following = useRef(shown);
  useEffect(() => {
    following.current = shown;
  }, [shown]);

  const update = useCallback((id: string, view: SendView) => {
    setSends((current) => current.map((s) => (s.id === id ? { ...s, status: view.status, wamid: view.wamid, attempts: view.attempts, nextAttemptAt: view.nextAttemptAt, error: view.error } : s)));
    const wamid = view.wamid;
    if (wamid) setByWamid((current) => (current[wamid] === id ? current : { ...current, [wamid]: id }));
  }, []);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    async function poll() {
      const due = following.current.filter((s): s is LocalSend & { id: string } => s.id !== null && !isStuck(s.status));
      if (document.visibilityState === "visible" && due.length > 0) {
        await Promise.all(
          due.slice(0, 10).map(async (s) => {
            const res = await callApi("GET", `/api/v1/messages/${encodeURIComponent(s.id)}`, sendDetailSchema);
            if (res.ok && !stopped) update(s.id, res.data);
          }),
        );
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    }
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [update]);

  const send = useCallback(async (body: SendBody, preview: string): Promise<string | null> => {
    const key = `local-${++localKeys.current}`;
    const at = new Date().toISOString();
    setSends((current) => [...current, { key, id: null, status: "QUEUED", text: preview, createdAt: at, wamid: null, attempts: 0, nextAttemptAt: null, error: null }]);
    const res = await callApi("POST", "/api/v1/messages", sendAcceptedSchema, body);
    if (res.ok) {
      setSends((current) => current.map((s) => (s.key === key ? { ...s, id: res.data.id, status: res.data.status } : s)));
      return null;
    }
    setSends((current) => current.filter((s) => s.key !== key));
    return `Not sent: ${res.message}`;
  }, []);

  const retry = useCallback(async (id: string): Promise<string | null> => {
    const res = await callApi("POST", `/api/v1/messages/${encodeURIComponent(id)}/retry`, sendAcceptedSchema);
    if (!res.ok) return res.message;
    setSends((current) => current.map((s) => (s.id === id ? { ...s, status: res.data.status, error: null } : s)));
    return null;
  }, []);

  /** Retries the send behind a message whose status webhook said it failed; it comes back as a queued bubble. */
  const retryMessage = useCallback(
    async (message: MessageView): Promise<string | null> => {
      const id = byWamid[message.wamid];
      if (!id) return "This message was not sent from WhaTrack's outbox, so it cannot be retried here.";
      const res = await callApi("POST", `/api/v1/messages/${encodeURIComponent(id)}/retry`, sendAcceptedSchema);
      if (!res.ok) return res.message;
      setRetried((current) => new Set(current).add(id));
      const again: LocalSend = {
        key: `${id}-retry-${++localKeys.current}`,
        id,
        status: res.data.status,
        text: message.text ?? `[${message.type}]`,
        createdAt: new Date().toISOString(),
        wamid: message.wamid,
        staleWamid: message.wamid,
        attempts: 0,
        nextAttemptAt: null,
        error: null,
      };
      setSends((current) => [...current.filter((s) => s.id !== id), again]);
      return null;
    },
    [byWamid],
  );

  const retryableWamid = useCallback((wamid: string) => Boolean(byWamid[wamid]) && !retried.has(byWamid[wamid]!), [byWamid, retried]);

  return { shown, send, retry, retryMessage, retryableWamid };
}
