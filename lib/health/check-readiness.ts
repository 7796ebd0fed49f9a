import { prisma } from "@/lib/db/client";
import { getLockStore } from "@/lib/locks/get-lock-store";
import { logger } from "@/lib/log/logger";

export type PartStatus = { status: "ok" | "down"; latencyMs: number; error?: string; kind?: string };
export type Readiness = { ok: boolean; database: PartStatus; lockStore: PartStatus };

const TIMEOUT_MS = 3_000;

async function probe(name: string, fn: () => Promise<unknown>): Promise<PartStatus> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { status: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    logger.warn({ err, part: name }, "readiness probe failed");
    // A fixed word, not the driver's message: those can carry hostnames or credentials.
    return { status: "down", latencyMs: Math.round(performance.now() - started), error: "unreachable" };
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness is implied by answering; readiness needs the database and the lock store. */
export async function checkReadiness(): Promise<Readiness> {
  const store = getLockStore();
  const [database, lockStore] = await Promise.all([
    probe("database", () => prisma.$queryRaw`SELECT 1`),
    probe("lockStore", () => store.ping()),
  ]);
  return { ok: database.status === "ok" && lockStore.status === "ok", database, lockStore: { ...lockStore, kind: store.kind } };
}
