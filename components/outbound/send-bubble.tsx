"use client";

import { LocalTime } from "@/components/time/local-time";
import { useNow } from "@/components/time/use-now";
import { FailureReason, RetryButton } from "@/components/outbound/failure-reason";
import { StatusTicks } from "@/components/outbound/status-ticks";
import { describeNextAttempt, isStuck } from "@/components/outbound/send-status";
import type { LocalSend } from "@/components/outbound/use-outbox";

/** A send not yet in the thread as a message: queued (clock), on its way, or failed / dead with Meta's reason and Retry. */
export function SendBubble({ send: s, onRetry }: { send: LocalSend; onRetry: (id: string) => Promise<string | null> }) {
  const now = useNow(5_000);
  const stuck = isStuck(s.status);
  const next = now === null || s.status !== "QUEUED" ? null : describeNextAttempt(s.attempts, s.nextAttemptAt, now);
  const id = s.id;
  return (
    <div className="flex justify-end" data-testid="send" data-send-id={s.id ?? ""} data-status={s.status.toLowerCase()}>
      <div className={`max-w-[85%] rounded-lg rounded-tr-none px-3 py-1.5 text-sm shadow-sm sm:max-w-[70%] ${stuck ? "bg-red-50 ring-1 ring-red-200" : "bg-[#d9fdd3]"}`}>
        <span className="sr-only">You: </span>
        <p dir="auto" className="whitespace-pre-wrap break-words text-slate-900">
          {s.text}
        </p>
        {stuck ? (
          <FailureReason
            heading={s.status === "DEAD" ? `Not sent after ${s.attempts} attempt${s.attempts === 1 ? "" : "s"}:` : "Not sent:"}
            error={s.error ?? { title: "No reason given" }}
          />
        ) : null}
        {s.status === "QUEUED" && s.error?.title && s.attempts > 0 ? <p className="mt-1 text-xs text-amber-800">Last attempt: {s.error.title}</p> : null}
        {stuck && id ? <RetryButton retry={() => onRetry(id)} /> : null}
        <p className="mt-0.5 flex items-center justify-end gap-1 text-[11px] text-slate-500">
          {next ? <span>{next} ·</span> : null}
          <LocalTime iso={s.createdAt} format="time" />
          <StatusTicks status={s.status} />
        </p>
      </div>
    </div>
  );
}
