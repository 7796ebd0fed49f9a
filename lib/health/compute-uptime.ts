import { prisma } from "@/lib/db/client";
import { uptimeFraction, windowMs, type UptimeSpan, type UptimeWindow } from "@/lib/health/uptime-fraction";

export interface UptimeResult extends UptimeSpan {
  window: UptimeWindow;
  from: Date;
  to: Date;
}

/**
 * A connection's online share over each window ending at `now`, from its ConnectionTransition rows: the
 * transitions inside the longest window plus the last one before it (the state the window opens in).
 */
export async function computeUptime(input: { connectionId: string; windows?: UptimeWindow[]; now?: Date }): Promise<UptimeResult[]> {
  const { connectionId, windows = ["24h", "7d", "30d"], now = new Date() } = input;
  if (windows.length === 0) return [];
  const earliest = new Date(now.getTime() - Math.max(...windows.map(windowMs)));
  const [opening, inside] = await Promise.all([
    prisma.connectionTransition.findFirst({ where: { connectionId, at: { lte: earliest } }, orderBy: { at: "desc" }, select: { online: true, at: true } }),
    prisma.connectionTransition.findMany({ where: { connectionId, at: { gt: earliest, lte: now } }, orderBy: { at: "asc" }, select: { online: true, at: true } }),
  ]);
  const transitions = opening ? [opening, ...inside] : inside;
  return windows.map((window) => {
    const from = new Date(now.getTime() - windowMs(window));
    return { window, from, to: now, ...uptimeFraction(transitions, from, now) };
  });
}
