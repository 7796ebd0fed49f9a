import { existsSync, readFileSync } from "node:fs";

// What the server said while under load: pino's JSON lines at warn and above, grouped by message,
// plus any other line that looks like an error (Next's own console output, stack traces).

export interface LogSummary {
  file: string;
  warn: number;
  error: number;
  /** "level msg: err.message" → count, most frequent first. */
  top: Array<{ line: string; count: number }>;
  otherErrorLines: string[];
}

type PinoLine = { level?: number; msg?: string; err?: { message?: string } };

function parseLine(line: string): PinoLine | null {
  if (!line.startsWith("{")) return null;
  try {
    return JSON.parse(line) as PinoLine;
  } catch {
    return null;
  }
}

const LEVELS: Record<number, string> = { 40: "warn", 50: "error", 60: "fatal" };

export function summarizeLog(file: string): LogSummary {
  const summary: LogSummary = { file, warn: 0, error: 0, top: [], otherErrorLines: [] };
  if (!existsSync(file)) return summary;
  const counts = new Map<string, number>();
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const entry = parseLine(line);
    if (entry && typeof entry.level === "number") {
      if (entry.level < 40) continue;
      if (entry.level === 40) summary.warn++;
      else summary.error++;
      const detail = entry.err?.message ? `: ${entry.err.message.split("\n")[0]!.slice(0, 160)}` : "";
      const key = `${LEVELS[entry.level] ?? entry.level} ${entry.msg ?? ""}${detail}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    } else if (/error|exception|ECONN|timed? ?out|fatal/i.test(line) && summary.otherErrorLines.length < 20) {
      summary.otherErrorLines.push(line.slice(0, 240));
    }
  }
  summary.top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([line, count]) => ({ line, count }));
  return summary;
}

/** Lines at error level or above so far: diffed around a phase to see which phase caused them. */
export function countErrorLines(file: string): number {
  if (!existsSync(file)) return 0;
  let n = 0;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const level = parseLine(line)?.level;
    if (typeof level === "number" && level >= 50) n++;
  }
  return n;
}

export function printLogSummary(s: LogSummary): void {
  console.log(`server log ${s.file}: ${s.error} error/fatal and ${s.warn} warn lines`);
  for (const t of s.top) console.log(`  ${String(t.count).padStart(6)} × ${t.line}`);
  if (s.otherErrorLines.length) {
    console.log(`  other lines that look like errors (first ${s.otherErrorLines.length}):`);
    for (const l of s.otherErrorLines.slice(0, 8)) console.log(`    ${l}`);
  }
}
