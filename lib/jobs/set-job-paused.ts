import { prisma } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { ensureJob } from "@/lib/jobs/ensure-job";
import type { JobDefinition } from "@/lib/jobs/job-registry";

/** Pauses (stop) or resumes (start) a job; a paused job's calls answer "skipped" and are recorded. */
export async function setJobPaused(def: JobDefinition, paused: boolean, actor: string): Promise<{ job: string; paused: boolean }> {
  await ensureJob(def.name);
  await prisma.job.update({ where: { name: def.name }, data: { paused } });
  await recordAudit({ actor, action: paused ? "job.stop" : "job.start", target: def.name });
  return { job: def.name, paused };
}
