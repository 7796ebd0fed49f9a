import { prisma } from "@/lib/db/client";

/**
 * The workspace a delivery belongs to (by any of its numbers or WABAs), so owners see its failures. A number
 * removed in one workspace may be connected in another: the live connection wins over removed ones.
 */
export async function resolveEventWorkspace(ids: { phoneNumberIds: string[]; wabaIds: string[] }): Promise<string | null> {
  const where = { OR: [{ phoneNumberId: { in: ids.phoneNumberIds } }, { wabaId: { in: ids.wabaIds } }] };
  const connection =
    (await prisma.whatsAppConnection.findFirst({ where: { ...where, status: { not: "REMOVED" } }, select: { workspaceId: true } })) ??
    (await prisma.whatsAppConnection.findFirst({ where, orderBy: { updatedAt: "desc" }, select: { workspaceId: true } }));
  return connection?.workspaceId ?? null;
}
