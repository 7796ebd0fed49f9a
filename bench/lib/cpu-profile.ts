import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

// Reads the V8 .cpuprofile files `node --cpu-prof` writes on exit and says where the time went:
// self time grouped by where the code lives (a package under node_modules, the app's bundled
// chunks, Node's internals, GC), and the busiest functions.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileSummary {
  files: string[];
  totalMs: number;
  byWhere: Array<{ where: string; ms: number; share: number }>;
  topFunctions: Array<{ fn: string; where: string; ms: number; share: number }>;
}

function whereOf(frame: ProfileNode["callFrame"]): string {
  const { url, functionName } = frame;
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  if (url.startsWith("node:")) return "node internals";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.includes("/.next/")) return `.next/${url.split("/.next/")[1]!.split("/").slice(0, 2).join("/")}`;
  return path.relative(process.cwd(), url.replace(/^file:\/\//, ""));
}

export function summarizeProfiles(dir: string, top = 20): ProfileSummary | null {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile")).map((f) => path.join(dir, f));
  } catch {
    return null;
  }
  if (files.length === 0) return null;
  const byWhere = new Map<string, number>();
  const byFn = new Map<string, { where: string; ms: number }>();
  let totalMs = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
    const hits = profile.nodes.reduce((a, n) => a + (n.hitCount ?? 0), 0);
    const msPerHit = hits ? (profile.endTime - profile.startTime) / 1_000 / hits : 0;
    for (const node of profile.nodes) {
      const ms = (node.hitCount ?? 0) * msPerHit;
      if (ms === 0 || node.callFrame.functionName === "(idle)") continue;
      totalMs += ms;
      const where = whereOf(node.callFrame);
      byWhere.set(where, (byWhere.get(where) ?? 0) + ms);
      const key = `${node.callFrame.functionName || "(anonymous)"} ${where}:${node.callFrame.lineNumber + 1}`;
      const entry = byFn.get(key) ?? { where, ms: 0 };
      entry.ms += ms;
      byFn.set(key, entry);
    }
  }
  const share = (ms: number) => Math.round((ms / totalMs) * 1000) / 10;
  return {
    files,
    totalMs: Math.round(totalMs),
    byWhere: [...byWhere.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([where, ms]) => ({ where, ms: Math.round(ms), share: share(ms) })),
    topFunctions: [...byFn.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, top).map(([fn, v]) => ({ fn, where: v.where, ms: Math.round(v.ms), share: share(v.ms) })),
  };
}

export function printProfileSummary(s: ProfileSummary): void {
  console.log(`CPU profile of the Next server (${s.files.length} file(s), ${fmtS(s.totalMs)} s busy, idle excluded) — self time by where the code lives:`);
  for (const w of s.byWhere.slice(0, 12)) console.log(`  ${String(w.share).padStart(5)}%  ${w.where}`);
  console.log("  busiest functions (self time):");
  for (const f of s.topFunctions.slice(0, 15)) console.log(`  ${String(f.share).padStart(5)}%  ${f.fn}`);
}

const fmtS = (ms: number) => (ms / 1000).toFixed(1);
