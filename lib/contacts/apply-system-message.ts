import { prisma } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { logger } from "@/lib/log/logger";
import type { WebhookMessage } from "@/lib/whatsapp/webhook-schema";

type SystemBody = { type?: string; wa_id?: string; new_wa_id?: string; user_id?: string; identity?: string };

/**
 * `system` messages tell us the customer changed number or user id: follow them on the contact,
 * so the next message from the new number lands in the same conversation.
 */
export async function applySystemMessage(workspaceId: string, contactId: string, message: WebhookMessage): Promise<void> {
  const system = (message as { system?: SystemBody }).system ?? {};
  if (system.type === "user_changed_number") {
    const newWaId = system.wa_id ?? system.new_wa_id;
    if (!newWaId || newWaId === message.from) return;
    try {
      await prisma.contact.update({ where: { id: contactId }, data: { waId: newWaId, previousWaId: message.from } });
    } catch (err) {
      // The new number already has its own contact (it wrote to us before): keep both, link back.
      if (!isUniqueViolation(err)) throw err;
      await prisma.contact.updateMany({ where: { workspaceId, waId: newWaId }, data: { previousWaId: message.from } });
      logger.info({ workspaceId, contactId }, "changed number already known as a contact");
    }
  } else if (system.type === "user_changed_user_id" && system.user_id) {
    await prisma.contact.update({ where: { id: contactId }, data: { userId: system.user_id } });
  }
}
