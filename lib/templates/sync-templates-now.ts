import type { Logger } from "pino";
import { AppError } from "@/lib/http/app-error";
import { withLock } from "@/lib/locks/with-lock";
import { syncTemplates } from "@/lib/templates/sync-templates";
import type { TemplateSyncResult } from "@/lib/templates/templates-schemas";

// The sync route's maxDuration: the lock outlives no request.
const SYNC_LOCK_MS = 60_000;

/** An owner's "sync now": one at a time per workspace (a second click while one runs is 429, not a second round of Graph calls). */
export async function syncTemplatesNow(workspaceId: string, log: Logger): Promise<TemplateSyncResult> {
  const run = await withLock({ key: `template-sync:${workspaceId}`, ttlMs: SYNC_LOCK_MS, fn: () => syncTemplates(workspaceId, log) });
  if (!run.acquired) throw new AppError("rate_limited", "A template sync of this workspace is already running");
  return run.result;
}
