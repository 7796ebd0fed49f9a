import { readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

// CPU time used by whom during a phase, from /proc (Linux): where the machine's cores went is the
// first piece of evidence for where a bottleneck is. Ticks are USER_HZ (100 on Linux).

const TICKS_PER_SECOND = 100;

type Stat = { pid: number; comm: string; pgrp: number; ticks: number };

function readStats(): Stat[] {
  const out: Stat[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, "utf8");
      // comm is in parentheses and may contain spaces: split after its closing parenthesis.
      const close = text.lastIndexOf(")");
      const comm = text.slice(text.indexOf("(") + 1, close);
      const fields = text.slice(close + 2).split(" ");
      // fields[0] is state (field 3); pgrp is field 5, utime 14, stime 15.
      out.push({ pid: Number(entry), comm, pgrp: Number(fields[2]), ticks: Number(fields[11]) + Number(fields[12]) });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

export type CpuSnapshot = { at: number; stats: Stat[] };

export function cpuSnapshot(): CpuSnapshot {
  return { at: performance.now(), stats: readStats() };
}

/**
 * Cores used between two snapshots (1.0 = one core busy the whole time) by each labelled set of
 * process groups, by postgres (all its processes), by this bench process and by everything else
 * ("other": other people's servers and editors on the machine, noise the bench cannot remove).
 */
export function coresUsed(before: CpuSnapshot, after: CpuSnapshot, groups: Record<string, number[]>): Record<string, number> {
  const seconds = (after.at - before.at) / 1_000;
  const earlier = new Map(before.stats.map((s) => [s.pid, s.ticks]));
  const ticks: Record<string, number> = { ...Object.fromEntries(Object.keys(groups).map((l) => [l, 0])), postgres: 0, bench: 0, other: 0 };
  for (const s of after.stats) {
    const delta = Math.max(0, s.ticks - (earlier.get(s.pid) ?? 0));
    const label =
      Object.keys(groups).find((l) => groups[l]!.includes(s.pgrp)) ?? (s.pid === process.pid ? "bench" : s.comm === "postgres" ? "postgres" : "other");
    ticks[label]! += delta;
  }
  const out: Record<string, number> = {};
  for (const [label, t] of Object.entries(ticks)) out[label] = Math.round((t / TICKS_PER_SECOND / seconds) * 100) / 100;
  out.machineCores = cpus().length;
  return out;
}
