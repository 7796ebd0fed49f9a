import { prisma } from "@/lib/db/client";

/** Connections counted by health and connection status (the admin API's health-check stats). */
export async function getHealthStats() {
  const groups = await prisma.whatsAppConnection.groupBy({
    by: ["healthStatus", "status"],
    where: { status: { not: "REMOVED" } },
    _count: { _all: true },
    orderBy: [{ healthStatus: "asc" }, { status: "asc" }],
  });
  return groups.map((g) => ({ healthStatus: g.healthStatus, connectionStatus: g.status, count: g._count._all }));
}
