import { prisma } from "@/lib/db/client";

/** Counts of stored deliveries by state and the latest activity: the landing page until the dashboard exists. */
export async function getInboxSummary() {
  const [byState, activity, connections] = await Promise.all([
    prisma.webhookEvent.groupBy({ by: ["state"], _count: { _all: true } }),
    prisma.activityEvent.findMany({ orderBy: { createdAt: "desc" }, take: 15, select: { id: true, type: true, summary: true, createdAt: true } }),
    prisma.whatsAppConnection.count({ where: { status: { not: "REMOVED" } } }),
  ]);
  const states = Object.fromEntries(byState.map((s) => [s.state, s._count._all]));
  return { states, activity, connections };
}
