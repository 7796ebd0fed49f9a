import type { OutboundMessageView } from "@/lib/outbound/outbound-schemas";

// One send as the API shows it. After SENT the status is the conversation message's, moved on by
// Meta's status webhooks (DELIVERED, READ, or FAILED with Meta's reason).

export const OUTBOUND_SELECT = {
  id: true,
  state: true,
  connectionId: true,
  to: true,
  type: true,
  wamid: true,
  attempts: true,
  nextAttemptAt: true,
  createdAt: true,
  sentAt: true,
  lastError: true,
  errorKind: true,
  errorCode: true,
  errorTitle: true,
  errorDetails: true,
  messageId: true,
} as const;

type Row = {
  id: string;
  state: "QUEUED" | "SENDING" | "SENT" | "FAILED" | "DEAD";
  connectionId: string;
  to: string;
  type: string;
  wamid: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  sentAt: Date | null;
  lastError: string | null;
  errorKind: string | null;
  errorCode: number | null;
  errorTitle: string | null;
  errorDetails: string | null;
};

type Message = { status: string; errorCode: number | null; errorTitle: string | null; errorDetails: string | null } | null;

export function toOutboundView(row: Row, message: Message): OutboundMessageView {
  const base = { id: row.id, connectionId: row.connectionId, to: row.to, type: row.type, wamid: row.wamid, attempts: row.attempts, createdAt: row.createdAt.toISOString(), sentAt: row.sentAt?.toISOString() ?? null };
  if (row.state === "SENT") {
    const status = message?.status === "DELIVERED" ? "DELIVERED" : message?.status === "READ" || message?.status === "PLAYED" ? "READ" : message?.status === "FAILED" ? "FAILED" : "SENT";
    const error = status === "FAILED" && message ? { kind: "DELIVERY_FAILED", message: "Meta reported the message as failed", code: message.errorCode, title: message.errorTitle, details: message.errorDetails } : null;
    return { ...base, status, nextAttemptAt: null, error };
  }
  const error =
    row.lastError || row.errorCode != null ? { kind: row.errorKind, message: row.lastError, code: row.errorCode, title: row.errorTitle, details: row.errorDetails } : null;
  return { ...base, status: row.state, nextAttemptAt: row.nextAttemptAt?.toISOString() ?? null, error };
}
