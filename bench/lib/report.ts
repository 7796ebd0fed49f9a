import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { backlog } from "@/bench/lib/database";
import { RESULTS_DIR } from "@/bench/lib/bench-setup";

// Small shared pieces of the benches' output.

export function verdict(ok: boolean | null): string {
  return ok === null ? "n/a " : ok ? "PASS" : "MISS";
}

export function machineLine(): string {
  const load = loadavg().map((l) => l.toFixed(2)).join(" ");
  return `machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), node ${process.version}, load average ${load}`;
}

export function writeResults(name: string, stamp: string, data: unknown): string {
  const file = path.join(RESULTS_DIR, `${name}-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

export interface Drain {
  drained: boolean;
  /** Backlog when the wait began. */
  from: number;
  left: number;
  ms: number;
}

/** Waits until no row is PENDING or PROCESSING (or `timeoutMs`), polling every 250 ms. */
export async function waitForDrain(pool: pg.Pool, timeoutMs: number): Promise<Drain> {
  const started = performance.now();
  const from = await backlog(pool);
  let left = from;
  while (left > 0 && performance.now() - started < timeoutMs) {
    await sleep(250);
    left = await backlog(pool);
  }
  return { drained: left === 0, from, left, ms: Math.round(performance.now() - started) };
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
