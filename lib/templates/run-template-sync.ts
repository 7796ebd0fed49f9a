import { z } from "zod";
import { prisma } from "@/lib/db/client";
import type { JobHandler, JobSummary } from "@/lib/jobs/job-context";
import { syncTemplates } from "@/lib/templates/sync-templates";

// The `template-sync` job: every workspace with a live number gets its templates synced, in id order
// (keyset cursor saved after each workspace, so a run cut by its deadline or killed resumes after the
// last one done). Webhooks keep templates current between runs; this catches what they missed.

const PAGE = 50;
const cursorSchema = z.object({ afterWorkspaceId: z.string().min(1) });

export const runTemplateSync: JobHandler = async (ctx) => {
  const parsed = cursorSchema.safeParse(ctx.cursor);
  let after = parsed.success ? parsed.data.afterWorkspaceId : null;
  const summary: JobSummary = { workspaces: 0, failedWorkspaces: 0, wabas: 0, failedWabas: 0, templates: 0, created: 0, updated: 0, deleted: 0 };
  const mustStop = () => Date.now() >= ctx.deadline || ctx.signal.aborted;

  while (!mustStop()) {
    const page = await prisma.workspace.findMany({
      where: { connections: { some: { status: { in: ["ACTIVE", "DISCONNECTED"] } } }, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: PAGE,
      select: { id: true },
    });
    if (page.length === 0) {
      await ctx.saveCursor(null);
      return { message: describe(summary), summary, hasMore: false };
    }
    for (const { id } of page) {
      if (mustStop()) break;
      try {
        const counts = await syncTemplates(id, ctx.log.child({ workspaceId: id }));
        summary.workspaces!++;
        for (const [key, n] of Object.entries(counts)) summary[key] = (summary[key] ?? 0) + n;
      } catch (err) {
        // One workspace's failure (its database rows, a sealed token that no key opens) never stops the sweep.
        ctx.log.error({ err, workspaceId: id }, "template sync failed for a workspace");
        summary.failedWorkspaces!++;
      }
      after = id;
      ctx.signal.throwIfAborted();
      await ctx.saveCursor({ afterWorkspaceId: after });
    }
  }
  ctx.signal.throwIfAborted();
  return { message: `Synced the templates of ${count(summary.workspaces!, "workspace")}; time budget spent, the next run continues`, summary, hasMore: true };
};

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;

function describe(s: JobSummary): string {
  return `Synced the templates of ${count(s.workspaces!, "workspace")} (${count(s.wabas!, "account")}, ${s.failedWabas} failed): ${s.created} new, ${s.updated} rewritten, ${s.deleted} marked deleted`;
}
