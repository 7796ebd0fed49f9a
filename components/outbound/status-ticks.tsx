import { tickFor, type MessageStatus, type SendStatus } from "@/components/outbound/send-status";

// WhatsApp's ticks: one grey (sent), two grey (delivered), two blue (read / played), a clock while
// queued or pending, a red mark when failed. Each has a text label for screen readers and as a tooltip.

export function StatusTicks({ status }: { status: MessageStatus | SendStatus }) {
  const { kind, label } = tickFor(status);
  if (kind === "none") return null;
  return (
    <span role="img" aria-label={label} title={label} data-status={status.toLowerCase()} data-tick={kind} className="inline-flex items-center">
      {kind === "clock" ? <Clock /> : kind === "failed" ? <Failed /> : <Checks double={kind !== "sent"} blue={kind === "read"} />}
    </span>
  );
}

function Checks({ double, blue }: { double: boolean; blue: boolean }) {
  return (
    <svg viewBox="0 0 18 12" width="18" height="12" aria-hidden className={blue ? "text-sky-500" : "text-slate-400"} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round">
      <path d={double ? "M1 6.5l3 3 6-7" : "M4 6.5l3 3 6-7"} />
      {double ? <path d="M6.5 8l1.5 1.5 6-7" /> : null}
    </svg>
  );
}

function Clock() {
  return (
    <svg viewBox="0 0 12 12" width="12" height="12" aria-hidden className="text-slate-400" fill="none" stroke="currentColor" strokeWidth="1.3">
      <circle cx="6" cy="6" r="5" />
      <path d="M6 3v3l2 1.5" strokeLinecap="round" />
    </svg>
  );
}

function Failed() {
  return (
    <svg viewBox="0 0 12 12" width="13" height="13" aria-hidden className="text-red-600">
      <circle cx="6" cy="6" r="6" fill="currentColor" />
      <path d="M6 3v3.6M6 8.6v.4" stroke="white" strokeWidth="1.5" strokeLinecap="round" />
    </svg>
  );
}
