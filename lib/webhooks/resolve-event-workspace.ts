import { prisma } from "@/lib/db/client";

/** The workspace a delivery belongs to (by any of its numbers or WABAs), so owners see its failures. */
export async function resolveEventWorkspace(ids: { phoneNumberIds: string[]; wabaIds: string[] }): Promise<string | null> {
  const connection = await prisma.whatsAppConnection.findFirst({
    where: { OR: [{ phoneNumberId: { in: ids.phoneNumberIds } }, { wabaId: { in: ids.wabaIds } }] },
    select: { workspaceId: true },
  });
  return connection?.workspaceId ?? null;
}
