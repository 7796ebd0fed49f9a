import { prisma } from "@/lib/db/client";
import type { WebhookEnvelope } from "@/lib/whatsapp/webhook-schema";

function phoneNumberIds(envelope: WebhookEnvelope): string[] {
  return envelope.entry.flatMap((entry) =>
    entry.changes.flatMap((change) => {
      const id = (change.value as { metadata?: { phone_number_id?: unknown } } | null)?.metadata?.phone_number_id;
      return typeof id === "string" ? [id] : [];
    }),
  );
}

export function firstPhoneNumberId(envelope: WebhookEnvelope): string | null {
  return phoneNumberIds(envelope)[0] ?? null;
}

/** The workspace a delivery belongs to (by its first known number or WABA), so owners see its failures. */
export async function resolveEventWorkspace(envelope: WebhookEnvelope): Promise<string | null> {
  const wabaIds = envelope.entry.map((e) => e.id);
  const connection = await prisma.whatsAppConnection.findFirst({
    where: { OR: [{ phoneNumberId: { in: phoneNumberIds(envelope) } }, { wabaId: { in: wabaIds } }] },
    select: { workspaceId: true },
  });
  return connection?.workspaceId ?? null;
}
