// Does a PGlite data directory survive SIGKILL? A writer commits 2 KB rows as fast as it can (with a
// CHECKPOINT every 500 and an UPDATE every 200), printing each id once committed; it is SIGKILLed at
// a random moment, then a fresh process opens the directory and checks that every printed id is there.
//   npx tsx scripts/pglite-kill-experiment.ts [--rounds 60] [--phase write|close] [--min-ms 2200] [--max-ms 9000]
// --phase close kills 0–15 ms after the writer began close() (PostgreSQL's shutdown checkpoint).
// Results and figures: docs/embedded-database.md. Plain PGlite, none of WhaTrack's code.
import { execFileSync, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";

// Not through tsx's CLI: that is a wrapper process, and a SIGKILL of the wrapper leaves the real writer
// running on the directory (two processes on one directory is how directories get damaged).
const self = ["--import", "tsx", "scripts/pglite-kill-experiment.ts"];
const [mode, dir, arg] = process.argv.slice(2);

async function writer(dataDir: string, closeAfterMs: number) {
  const db = new PGlite(dataDir);
  await db.waitReady;
  process.stdout.write("ready\n");
  await db.exec("CREATE TABLE IF NOT EXISTS t (id int PRIMARY KEY, pad text NOT NULL)");
  let next = (await db.query<{ m: number }>("SELECT coalesce(max(id), 0)::int AS m FROM t")).rows[0]!.m + 1;
  const until = closeAfterMs > 0 ? Date.now() + closeAfterMs : Infinity;
  for (let n = 1; Date.now() < until; n++) {
    const id = next++;
    await db.query("INSERT INTO t (id, pad) VALUES ($1, $2)", [id, "x".repeat(2000) + id]);
    process.stdout.write(`ack ${id}\n`);
    if (n % 200 === 0) await db.exec("UPDATE t SET pad = pad WHERE id % 50 = 0");
    if (n % 500 === 0) await db.exec("CHECKPOINT");
  }
  process.stdout.write("closing\n");
  await db.close();
  process.stdout.write("closed\n");
}

async function verify(dataDir: string, acked: number) {
  try {
    const db = new PGlite(dataDir);
    await db.waitReady;
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM t WHERE id <= $1", [acked]);
    await db.close();
    console.log(JSON.stringify({ ok: true, n: rows[0]!.n }));
  } catch (error) {
    console.log(JSON.stringify({ ok: false, error: String(error instanceof Error ? error.message : error).slice(0, 200) }));
  }
}

async function experiment() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { rounds: { type: "string", default: "60" }, phase: { type: "string", default: "write" }, "min-ms": { type: "string", default: "2200" }, "max-ms": { type: "string", default: "9000" } },
  });
  const root = mkdtempSync(path.join(tmpdir(), "pglite-kill-"));
  const template = path.join(root, "template");
  const dataDir = path.join(root, "data");
  execFileSync(process.execPath, [...self, "writer", template, "1"]);
  cpSync(template, dataDir, { recursive: true });
  const tally = { rounds: Number(values.rounds), killedWhileStarting: 0, killedWhileWriting: 0, killedWhileClosing: 0, closedFirst: 0, broken: 0, lost: 0 };
  let acked = 0;
  for (let round = 1; round <= tally.rounds; round++) {
    const closing = values.phase === "close";
    const child = spawn(process.execPath, [...self, "writer", dataDir, closing ? String(500 + Math.random() * 1500) : "0"], { stdio: ["ignore", "pipe", "inherit"] });
    let phase = "starting";
    let partial = "";
    const killed = new Promise<void>((resolve) => {
      const kill = () => resolve(void child.kill("SIGKILL"));
      if (!closing) setTimeout(kill, Number(values["min-ms"]) + Math.random() * (Number(values["max-ms"]) - Number(values["min-ms"])));
      child.stdout.on("data", (chunk: Buffer) => {
        const lines = (partial + String(chunk)).split("\n");
        partial = lines.pop()!; // a line cut between two chunks
        for (const line of lines) {
          const ack = /^ack (\d+)$/.exec(line);
          if (ack) acked = Math.max(acked, Number(ack[1]));
          else if (line === "ready") phase = "writing";
          else if (line === "closing") {
            phase = "closing";
            if (closing) setTimeout(kill, Math.random() * 15);
          } else if (line === "closed") phase = "closed";
        }
      });
      child.once("exit", () => resolve());
    });
    await killed;
    if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once("exit", r));
    const at = phase;
    tally[at === "starting" ? "killedWhileStarting" : at === "writing" ? "killedWhileWriting" : at === "closing" ? "killedWhileClosing" : "closedFirst"]++;
    const result = JSON.parse(execFileSync(process.execPath, [...self, "verify", dataDir, String(acked)], { encoding: "utf8" }).trim()) as { ok: boolean; n?: number; error?: string };
    if (!result.ok) tally.broken++;
    else if (result.n !== acked) tally.lost++;
    console.log(`round ${round}: SIGKILL while ${at}, ${acked} rows acknowledged: ${result.ok ? `${result.n} found` : `cannot open: ${result.error}`}`);
    if (!result.ok) {
      rmSync(dataDir, { recursive: true, force: true });
      cpSync(template, dataDir, { recursive: true });
      acked = 0;
    }
  }
  console.log(JSON.stringify(tally));
  rmSync(root, { recursive: true, force: true });
}

if (mode === "writer") await writer(dir!, Number(arg));
else if (mode === "verify") await verify(dir!, Number(arg));
else await experiment();
