import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/http/app-error";

/**
 * The template a send names, if Meta approved it: looked up in the connection's WABA (templates belong to
 * the account, not the number). 404 for a connection that is not the workspace's; 422
 * `template_not_approved` for a template never synced, or whose status is anything but APPROVED
 * (PENDING, REJECTED, PAUSED, DISABLED, DELETED…) — Graph would refuse it (132001, 132015).
 */
export async function findApprovedTemplate(workspaceId: string, connectionId: string, name: string, language: string) {
  const connection = await prisma.whatsAppConnection.findFirst({ where: { id: connectionId, workspaceId }, select: { wabaId: true } });
  if (!connection) throw new AppError("not_found", "Connection not found");
  const template = await prisma.messageTemplate.findUnique({
    where: { workspaceId_wabaId_name_language: { workspaceId, wabaId: connection.wabaId, name, language } },
  });
  if (!template) {
    throw new AppError("template_not_approved", `No template "${name}" (${language}) in this number's account: create it in WhatsApp Manager, then sync templates`);
  }
  if (template.status !== "APPROVED") {
    const why = template.reason ? `: ${template.reason}` : "";
    throw new AppError("template_not_approved", `Template "${name}" (${language}) is ${template.status}, not APPROVED${why}`);
  }
  return template;
}
