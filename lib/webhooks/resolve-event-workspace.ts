import { prisma } from "@/lib/db/client";
import type { WebhookEnvelope } from "@/lib/whatsapp/webhook-schema";

/** The workspace a delivery belongs to (by its first known number or WABA), so owners see its failures. */
export async function resolveEventWorkspace(envelope: WebhookEnvelope): Promise<string | null> {
  const phoneNumberIds: string[] = [];
  for (const entry of envelope.entry) {
    for (const change of entry.changes) {
      const id = (change.value as { metadata?: { phone_number_id?: unknown } } | null)?.metadata?.phone_number_id;
      if (typeof id === "string") phoneNumberIds.push(id);
    }
  }
  const wabaIds = envelope.entry.map((e) => e.id);
  const connection = await prisma.whatsAppConnection.findFirst({
    where: { OR: [{ phoneNumberId: { in: phoneNumberIds } }, { wabaId: { in: wabaIds } }] },
    select: { workspaceId: true },
  });
  return connection?.workspaceId ?? null;
}
