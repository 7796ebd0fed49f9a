import pLimit from "p-limit";
import { z } from "zod";
import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { JobContext, JobSummary } from "@/lib/jobs/job-context";

// The loop both health jobs share: every eligible connection once per sweep, in id order (keyset cursor),
// a bounded number at a time, stopping at the run's deadline with the cursor saved so the next invocation
// resumes. Each connection is first claimed by a guarded update of its claim column: a connection whose
// column is already at or after this sweep's start was taken by this sweep (possibly by an overlapping run)
// and is skipped, so no connection is checked twice in one sweep.

export type ClaimField = "lastHealthCheckAt" | "lastMonitoredAt";

/** Counts one connection adds to the run's summary, e.g. `{ healthy: 1, notified: 1 }`. */
export type SweepCounts = Record<string, number>;

export interface SweepInput {
  ctx: JobContext;
  /** Which connections the job looks at. */
  eligible: Prisma.WhatsAppConnectionWhereInput;
  claimField: ClaimField;
  concurrency: number;
  /** Keys every summary carries, even at zero. */
  counts: string[];
  check: (connectionId: string) => Promise<SweepCounts>;
  pageSize?: number;
}

export interface SweepResult {
  summary: JobSummary;
  hasMore: boolean;
}

const cursorSchema = z.object({ sweepStartedAt: z.iso.datetime(), afterId: z.string().min(1).nullable() });
type Cursor = { sweepStartedAt: Date; afterId: string | null };

function readCursor(ctx: JobContext): Cursor | null {
  if (ctx.cursor == null) return null;
  const parsed = cursorSchema.safeParse(ctx.cursor);
  // A cursor this code cannot read (an older shape) only costs a fresh sweep; claims still prevent doubles.
  if (!parsed.success) {
    ctx.log.warn({ cursor: ctx.cursor }, "unreadable sweep cursor: starting a new sweep");
    return null;
  }
  return { sweepStartedAt: new Date(parsed.data.sweepStartedAt), afterId: parsed.data.afterId };
}

function unclaimed(field: ClaimField, since: Date): Prisma.WhatsAppConnectionWhereInput {
  return field === "lastHealthCheckAt"
    ? { OR: [{ lastHealthCheckAt: null }, { lastHealthCheckAt: { lt: since } }] }
    : { OR: [{ lastMonitoredAt: null }, { lastMonitoredAt: { lt: since } }] };
}

function claimData(field: ClaimField, at: Date): Prisma.WhatsAppConnectionUpdateManyMutationInput {
  return field === "lastHealthCheckAt" ? { lastHealthCheckAt: at } : { lastMonitoredAt: at };
}

async function nextPage(input: SweepInput, cursor: Cursor, size: number): Promise<string[]> {
  const rows = await prisma.whatsAppConnection.findMany({
    where: { AND: [input.eligible, unclaimed(input.claimField, cursor.sweepStartedAt)], ...(cursor.afterId ? { id: { gt: cursor.afterId } } : {}) },
    orderBy: { id: "asc" },
    take: size,
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

async function claim(input: SweepInput, id: string, sweepStartedAt: Date): Promise<boolean> {
  const { count } = await prisma.whatsAppConnection.updateMany({
    where: { id, AND: [input.eligible, unclaimed(input.claimField, sweepStartedAt)] },
    data: claimData(input.claimField, new Date()),
  });
  return count === 1;
}

function add(summary: JobSummary, counts: SweepCounts): void {
  for (const [key, n] of Object.entries(counts)) summary[key] = (summary[key] ?? 0) + n;
}

/** Claims and checks one connection; a failure is logged and counted, never allowed to stop the sweep. */
async function checkOne(input: SweepInput, id: string, sweepStartedAt: Date): Promise<SweepCounts> {
  try {
    if (!(await claim(input, id, sweepStartedAt))) return { skipped: 1 };
    return { total: 1, ...(await input.check(id)) };
  } catch (err) {
    input.ctx.log.error({ err, connectionId: id }, "connection check failed");
    return { total: 1, failed: 1 };
  }
}

/** Runs one invocation's share of a sweep; `hasMore` when the deadline cut it (the cursor is then saved). */
export async function sweepConnections(input: SweepInput): Promise<SweepResult> {
  const { ctx } = input;
  const cursor: Cursor = readCursor(ctx) ?? { sweepStartedAt: new Date(), afterId: null };
  const summary: JobSummary = Object.fromEntries(["total", ...input.counts, "skipped", "failed"].map((k) => [k, 0]));
  const limit = pLimit(input.concurrency);
  // The runner renews the lock and lease itself and aborts ctx.signal when they are lost.
  const mustStop = () => Date.now() >= ctx.deadline || ctx.signal.aborted;
  const pageSize = input.pageSize ?? Math.max(100, input.concurrency * 4);

  while (!mustStop()) {
    const page = await nextPage(input, cursor, pageSize);
    if (page.length === 0) {
      await ctx.saveCursor(null);
      return { summary, hasMore: false };
    }
    // p-limit starts tasks in order and the stop condition never turns back, so the tasks that ran form a
    // prefix of the page: the cursor can move to the last of them without leaving a gap.
    const results = await Promise.all(
      page.map((id) =>
        limit(async () => {
          if (mustStop()) return null;
          return checkOne(input, id, cursor.sweepStartedAt);
        }),
      ),
    );
    for (const [i, counts] of results.entries()) {
      if (!counts) break;
      add(summary, counts);
      cursor.afterId = page[i]!;
    }
    ctx.signal.throwIfAborted();
    // After every page, not only at the deadline: a run killed mid-sweep leaves the next one a place to
    // resume (and the same sweepStartedAt, so the claims skip what the dead run already checked).
    await ctx.saveCursor({ sweepStartedAt: cursor.sweepStartedAt.toISOString(), afterId: cursor.afterId });
  }

  ctx.signal.throwIfAborted();
  await ctx.saveCursor({ sweepStartedAt: cursor.sweepStartedAt.toISOString(), afterId: cursor.afterId });
  return { summary, hasMore: true };
}
