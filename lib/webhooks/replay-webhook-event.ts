import { prisma } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record-audit";
import { AppError } from "@/lib/http/app-error";
import { processWebhookEvent, type ProcessResult } from "@/lib/webhooks/process-webhook-event";

/** A person's replay of a failed or dead delivery, through the same processing path as everything else. */
export async function replayWebhookEvent(id: string, actor: string, scope: { workspaceId?: string } = {}): Promise<{ id: string; result: ProcessResult; state: string }> {
  const event = await prisma.webhookEvent.findFirst({ where: { id, ...(scope.workspaceId ? { workspaceId: scope.workspaceId } : {}) }, select: { id: true, state: true } });
  if (!event) throw new AppError("not_found", "Webhook event not found");
  if (event.state !== "FAILED" && event.state !== "DEAD") throw new AppError("conflict", `Only failed or dead events can be replayed (this one is ${event.state.toLowerCase()})`);
  await recordAudit({ actor, action: "webhook.replay", target: id });
  const result = await processWebhookEvent(id, { replay: true });
  const after = await prisma.webhookEvent.findUniqueOrThrow({ where: { id }, select: { state: true } });
  return { id, result, state: after.state };
}
