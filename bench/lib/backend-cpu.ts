import { readFileSync } from "node:fs";
import type pg from "pg";

// CPU of the PostgreSQL backends serving one database: the processes pg_stat_activity lists for it.
// bench/lib/cpu.ts counts every `postgres` process, which on a shared machine includes other people's
// test databases; this narrows it to the bench's own connections. Ticks are USER_HZ (100 on Linux).

const TICKS_PER_SECOND = 100;

export type BackendTicks = { at: number; ticks: Map<number, number> };

function ticksOf(pid: number): number | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null; // the backend ended
  }
}

/** The CPU ticks so far of every backend connected to `database` (except the one asking). */
export async function backendTicks(monitor: pg.Pool, database: string): Promise<BackendTicks> {
  const { rows } = await monitor.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [database]);
  const ticks = new Map<number, number>();
  for (const { pid } of rows) {
    const t = ticksOf(pid);
    if (t !== null) ticks.set(pid, t);
  }
  return { at: performance.now(), ticks };
}

/**
 * Cores used by those backends between two readings (1.0 = one core busy the whole time). A backend
 * that connected in between counts from zero; one that disconnected in between is missed — take the
 * readings while the phase's pools are open.
 */
export function backendCores(before: BackendTicks, after: BackendTicks): number {
  let ticks = 0;
  for (const [pid, t] of after.ticks) ticks += Math.max(0, t - (before.ticks.get(pid) ?? 0));
  const seconds = (after.at - before.at) / 1_000;
  return seconds > 0 ? Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100 : 0;
}
