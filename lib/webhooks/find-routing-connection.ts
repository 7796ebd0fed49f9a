import { prisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";

const routingSelect = {
  id: true,
  workspaceId: true,
  phoneNumberId: true,
  tokenId: true,
  autoReplyEnabled: true,
  autoReplyText: true,
  autoReplyTypes: true,
} satisfies Prisma.WhatsAppConnectionSelect;

export type RoutingConnection = Prisma.WhatsAppConnectionGetPayload<{ select: typeof routingSelect }>;

// Every delivery names its number; at 80 msg/s with statuses that is hundreds of identical lookups a
// second. Found connections are remembered briefly per process (settings changes show within the TTL);
// misses are not, so a number connected a moment ago routes at once. A number removed in one workspace can be
// connected in another only once this TTL has passed (connect-number.ts), so no process still routes it to the
// old workspace's row.
export const ROUTING_CACHE_TTL_MS = 30_000;
const g = globalThis as typeof globalThis & { __whatrackRouting?: Map<string, { connection: RoutingConnection; until: number }> };
const cache = (g.__whatrackRouting ??= new Map());

export async function findRoutingConnection(phoneNumberId: string): Promise<RoutingConnection | null> {
  const hit = cache.get(phoneNumberId);
  if (hit && hit.until > Date.now()) return hit.connection;
  const connection = await prisma.whatsAppConnection.findFirst({ where: { phoneNumberId, status: { not: "REMOVED" } }, select: routingSelect });
  if (connection) cache.set(phoneNumberId, { connection, until: Date.now() + ROUTING_CACHE_TTL_MS });
  else cache.delete(phoneNumberId);
  return connection;
}

/** Drops a number from the cache (its settings changed, or it was disconnected). */
export function forgetRoutingConnection(phoneNumberId: string): void {
  cache.delete(phoneNumberId);
}
