import type { Logger } from "pino";
import { notifyOwners } from "@/lib/alerts/notify-owners";
import type { SweepCounts } from "@/lib/health/sweep-connections";

export interface OwnerAlert {
  workspaceId: string;
  connectionId: string;
  /** One incident, one key: notifyOwners sends nothing for a key it has already seen. */
  dedupeKey: string;
  email: { subject: string; html: string; text: string };
}

/**
 * Emails the workspace's owners and returns the counts for the job summary: `notified` when this call
 * sent (or queued) the email, nothing when the incident was already told. A failure is logged and counted
 * rather than thrown: the state it reports is already written, and the next run retries under the same key.
 */
export async function sendOwnerAlert(alert: OwnerAlert, log: Logger): Promise<SweepCounts> {
  try {
    const result = await notifyOwners(alert);
    return { ...(result.sent + result.outbox > 0 ? { notified: 1 } : {}), ...(result.failed > 0 ? { alertFailed: 1 } : {}) };
  } catch (err) {
    log.error({ err, connectionId: alert.connectionId, dedupeKey: alert.dedupeKey }, "owner alert failed");
    return { alertFailed: 1 };
  }
}
