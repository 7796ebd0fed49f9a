import { prisma } from "@/lib/db/client";
import { env } from "@/lib/env";
import { getLockStore } from "@/lib/locks/get-lock-store";
import { logger } from "@/lib/log/logger";
import { getOutboxLag, type OutboxLag } from "@/lib/outbound/get-outbox-lag";
import { getInboxLag, type InboxLag } from "@/lib/webhooks/get-inbox-lag";

export type PartStatus = { status: "ok" | "down"; latencyMs: number; error?: string; kind?: string };
export type InboxStatus = ({ status: "ok" | "lagging" } & InboxLag) | { status: "unknown" };
export type OutboxStatus = ({ status: "ok" | "lagging" } & OutboxLag) | { status: "unknown" };
export type Readiness = {
  /** The database and the lock store answer: without them this instance cannot serve (503). */
  ready: boolean;
  /** Not ready, or the inbox or the outbox lags or could not be measured. */
  degraded: boolean;
  database: PartStatus;
  lockStore: PartStatus;
  inbox: InboxStatus & { degradedAfterSeconds: number };
  outbox: OutboxStatus & { degradedAfterSeconds: number };
};

const TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function probe(name: string, fn: () => Promise<unknown>): Promise<PartStatus> {
  const started = performance.now();
  try {
    await withTimeout(fn());
    return { status: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    logger.warn({ err, part: name }, "readiness probe failed");
    // A fixed word, not the driver's message: those can carry hostnames or credentials.
    return { status: "down", latencyMs: Math.round(performance.now() - started), error: "unreachable" };
  }
}

async function inboxStatus(): Promise<InboxStatus> {
  try {
    const lag = await withTimeout(getInboxLag());
    return { status: lag.oldestPendingSeconds > env.WEBHOOK_LAG_DEGRADED_SECONDS ? "lagging" : "ok", ...lag };
  } catch (err) {
    logger.warn({ err, part: "inbox" }, "inbox lag query failed");
    return { status: "unknown" };
  }
}

async function outboxStatus(): Promise<OutboxStatus> {
  try {
    const lag = await withTimeout(getOutboxLag());
    return { status: lag.oldestDueSeconds > env.OUTBOX_LAG_DEGRADED_SECONDS ? "lagging" : "ok", ...lag };
  } catch (err) {
    logger.warn({ err, part: "outbox" }, "outbox lag query failed");
    return { status: "unknown" };
  }
}

/**
 * Liveness is implied by answering; readiness needs the database and the lock store. The inbox's and
 * the outbox's lag only degrade: a lagging instance must keep receiving traffic, or it could never drain.
 */
export async function checkReadiness(): Promise<Readiness> {
  const store = getLockStore();
  const [database, lockStore, inbox, outbox] = await Promise.all([
    probe("database", () => prisma.$queryRaw`SELECT 1`),
    probe("lockStore", () => store.ping()),
    inboxStatus(),
    outboxStatus(),
  ]);
  const ready = database.status === "ok" && lockStore.status === "ok";
  return {
    ready,
    degraded: !ready || inbox.status !== "ok" || outbox.status !== "ok",
    database,
    lockStore: { ...lockStore, kind: store.kind },
    inbox: { ...inbox, degradedAfterSeconds: env.WEBHOOK_LAG_DEGRADED_SECONDS },
    outbox: { ...outbox, degradedAfterSeconds: env.OUTBOX_LAG_DEGRADED_SECONDS },
  };
}
