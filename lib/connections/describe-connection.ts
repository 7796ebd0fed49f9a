import type { ConnectionView } from "@/lib/connections/connection-schemas";
import type { ConnectionRow } from "@/lib/connections/get-connection-or-throw";
import { toConnectionView } from "@/lib/connections/to-connection-view";
import { computeUptime } from "@/lib/health/compute-uptime";

/** A connection row (already read through the workspace's scoped client) with its uptime, as the API shows it. */
export async function describeConnection(c: ConnectionRow, now = new Date()): Promise<ConnectionView> {
  const spans = await computeUptime({ connectionId: c.id, windows: ["24h", "7d", "30d"], now });
  const of = (w: string) => spans.find((s) => s.window === w)?.fraction ?? null;
  const observed = (w: string) => Math.round((spans.find((s) => s.window === w)?.knownMs ?? 0) / 1000);
  return toConnectionView(c, { "24h": of("24h"), "7d": of("7d"), "30d": of("30d") }, { "24h": observed("24h"), "7d": observed("7d"), "30d": observed("30d") });
}
