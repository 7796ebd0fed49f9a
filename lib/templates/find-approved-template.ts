import { prisma } from "@/lib/db/client";
import { AppError } from "@/lib/http/app-error";

// Placeholder for helper/templates (the real file replaces this one).

export async function findApprovedTemplate(workspaceId: string, connectionId: string, name: string, language: string) {
  const connection = await prisma.whatsAppConnection.findFirst({ where: { id: connectionId, workspaceId }, select: { wabaId: true } });
  if (!connection) throw new AppError("not_found", "Connection not found");
  const template = await prisma.messageTemplate.findFirst({ where: { workspaceId, wabaId: connection.wabaId, name, language } });
  if (!template) throw new AppError("template_not_approved", `No template ${name} (${language}) for this number's WhatsApp Business Account: sync templates first`);
  if (template.status !== "APPROVED") throw new AppError("template_not_approved", `Template ${name} (${language}) is ${template.status}, not APPROVED`);
  return template;
}
