// npm run bench:kill [-- --rate 200 --duration 10 --kill-after 4]
// Crash under load: open-loop deliveries (messages of several types + their statuses) to `next start`,
// SIGKILL of the server's whole process group mid-run, then the checks (see bench/README.md):
//   - every delivery that got a 200 is stored (the route stores before it answers);
//   - how many were left PENDING/PROCESSING because their after() died with the process;
//   - after a restart, a drain (`npm run whatrack -- webhooks:drain`) brings every
//     acknowledged delivery to PROCESSED — PROCESSING rows only once the dead process's lease expires.
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { setUpBench } from "@/bench/lib/bench-setup";
import { runBench } from "@/bench/lib/cleanup";
import { storedStates } from "@/bench/lib/database";
import { keepAliveAgent, runOpenLoop, targetOf } from "@/bench/lib/http-load";
import { summarize } from "@/bench/lib/percentiles";
import { fmt, machineLine, verdict, waitForDrain, writeResults } from "@/bench/lib/report";
import { printLogSummary, summarizeLog } from "@/bench/lib/server-log";
import { TrafficGenerator } from "@/bench/lib/traffic";
import type { MessageVariant } from "@/sim/webhook-payloads";

const { values: flags } = parseArgs({
  options: {
    rate: { type: "string", default: "200" },
    duration: { type: "string", default: "10" },
    "kill-after": { type: "string", default: "4" },
    "timeout-ms": { type: "string", default: "5000" },
    "max-wait": { type: "string", default: "150" },
    customers: { type: "string", default: "300" },
    build: { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
  },
});

const RATE = Number(flags.rate);
const DURATION_S = Number(flags.duration);
const KILL_AFTER_MS = Number(flags["kill-after"]) * 1_000;
const MAX_WAIT_MS = Number(flags["max-wait"]) * 1_000;

// Text mostly, and types that make the app auto-reply through the Graph simulator.
const MIX: MessageVariant[] = ["text", "location", "text", "image", "reaction", "text", "interactive_button_reply", "audio"];

type Row = { state: string; leaseUntil: Date | null; nextAttemptAt: Date | null; errorKind: string | null };

function countStates(rows: Iterable<Row>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) out[r.state] = (out[r.state] ?? 0) + 1;
  return out;
}

const show = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "none";

async function main(): Promise<void> {
  console.log(machineLine());
  const setup = await setUpBench({ name: "kill", keepDb: flags["keep-db"], build: flags.build, customers: Number(flags.customers) });
  const server = await setup.startServer("next-1");
  console.log(`database ${setup.db.name}, ${setup.build}, next start on ${server.url} (pid ${server.process.pid}, log ${setup.logFile("next-1")})`);
  const gen = new TrafficGenerator(setup.number, setup.customers, MIX);

  // Warm-up (not counted): loads the route's modules; processed before the real run starts.
  const warm = gen.next(200);
  await gen.seed(setup.db.pool);
  const warmAgent = keepAliveAgent(128);
  await runOpenLoop({ target: targetOf(server.url), agent: warmAgent, requests: warm, rate: 100, timeoutMs: 5_000 });
  warmAgent.destroy();
  await waitForDrain(setup.db.pool, 60_000);

  // ------------------------------------------------------------------------------- load, then kill -9
  const requests = gen.next(Math.round(RATE * DURATION_S));
  await gen.seed(setup.db.pool);
  const agent = keepAliveAgent(1_024);
  let killedAtMs = 0;
  console.log(`\n== load: ${requests.length} deliveries at ${RATE}/s (1 message of ${new Set(MIX).size} types + 3 statuses per 4), SIGKILL to the server's process group at ${fmt(KILL_AFTER_MS / 1000)} s ==`);
  const run = await runOpenLoop({
    target: targetOf(server.url),
    agent,
    requests,
    rate: RATE,
    timeoutMs: Number(flags["timeout-ms"]),
    at: {
      ms: KILL_AFTER_MS,
      fn: () => {
        killedAtMs = KILL_AFTER_MS;
        void server.process.kill();
      },
    },
  });
  agent.destroy();
  await server.process.exited;

  const acked = run.samples.filter((s) => s.status === 200);
  const failedByReason: Record<string, number> = {};
  for (const s of run.samples) {
    if (s.status === 200) continue;
    const key = s.error ?? `HTTP ${s.status}`;
    failedByReason[key] = (failedByReason[key] ?? 0) + 1;
  }
  const sentBeforeKill = run.samples.filter((s) => s.scheduledAt < killedAtMs).length;
  const ackShas = acked.map((s) => requests[s.index]!.sha256!);
  const otherShas = run.samples.filter((s) => s.status !== 200).map((s) => requests[s.index]!.sha256!);
  console.log(
    `scheduled ${requests.length}, scheduled before the kill ${sentBeforeKill}; answered 200: ${acked.length} ` +
      `(latency p50 ${fmt(summarize(acked.map((s) => s.latencyMs)).p50)} ms, p99 ${fmt(summarize(acked.map((s) => s.latencyMs)).p99)} ms); ` +
      `no 200: ${run.samples.length - acked.length} ${JSON.stringify(failedByReason)}`,
  );

  // ------------------------------------------------------------------------------- right after the crash
  const afterCrash = await storedStates(setup.db.pool, ackShas);
  const lost = ackShas.filter((sha) => !afterCrash.has(sha)).length;
  const crashStates = countStates(afterCrash.values());
  const unprocessed = [...afterCrash.values()].filter((r) => r.state === "PENDING" || r.state === "PROCESSING");
  const leasedUntil = unprocessed.filter((r) => r.state === "PROCESSING").map((r) => r.leaseUntil?.getTime() ?? 0);
  const inFlight = await storedStates(setup.db.pool, otherShas);
  console.log(`\n== after the crash (server down) ==`);
  console.log(`acknowledged and stored: ${afterCrash.size} of ${ackShas.length} → lost ${lost}`);
  console.log(`acknowledged, by state: ${show(crashStates)}`);
  console.log(
    `left unprocessed by the crash: ${unprocessed.length} (PENDING ${crashStates.PENDING ?? 0}: after() never started; ` +
      `PROCESSING ${crashStates.PROCESSING ?? 0}: claimed by the dead process` +
      (leasedUntil.length ? `, leases end in ${fmt((Math.min(...leasedUntil) - Date.now()) / 1000)}–${fmt((Math.max(...leasedUntil) - Date.now()) / 1000)} s` : "") +
      ")",
  );
  console.log(`not acknowledged (refused, reset or in flight at the kill) but stored anyway: ${inFlight.size} of ${otherShas.length} (Meta would redeliver them; the body hash dedupes) — ${show(countStates(inFlight.values()))}`);

  // ------------------------------------------------------------------------------- restart + drain
  const restarted = await setup.startServer("next-2");
  console.log(`\n== restart: next start on ${restarted.url} answers /api/health 200; drain: npm run whatrack -- webhooks:drain ==`);
  const started = Date.now();
  const rounds: Array<{ atS: number; summary: unknown; states: Record<string, number> }> = [];
  let final = new Map<string, Row>();
  for (;;) {
    const summary = await setup.cli(["webhooks:drain"]);
    final = await storedStates(setup.db.pool, ackShas);
    const states = countStates(final.values());
    const atS = Math.round((Date.now() - started) / 100) / 10;
    rounds.push({ atS, summary, states });
    console.log(`  +${fmt(atS)} s  retry ${JSON.stringify(summary)}  → acknowledged: ${show(states)}`);
    const open = [...final.values()].filter((r) => r.state !== "PROCESSED");
    if (open.length === 0) break;
    // What is left can only become due later: a live lease, or a failure's backoff.
    const dueAt = open.map((r) => (r.state === "PROCESSING" ? (r.leaseUntil?.getTime() ?? 0) : r.state === "FAILED" ? (r.nextAttemptAt?.getTime() ?? Infinity) : 0));
    const wakeAt = Math.min(...dueAt) + 1_000;
    if (!Number.isFinite(wakeAt) || wakeAt - started > MAX_WAIT_MS) {
      console.log(`  ${open.length} not PROCESSED and not due again within --max-wait ${MAX_WAIT_MS / 1000} s: ${show(countStates(open))}`);
      break;
    }
    const why = open.every((r) => r.state === "PROCESSING") ? "for the dead process's PROCESSING leases (60 s) to expire" : "until the next of them is due";
    console.log(`  waiting ${fmt(Math.max(0, wakeAt - Date.now()) / 1000)} s ${why} (${open.length} left: ${show(countStates(open))})`);
    await sleep(Math.max(0, wakeAt - Date.now()));
  }
  const allProcessed = ackShas.length > 0 && ackShas.every((sha) => final.get(sha)?.state === "PROCESSED");
  const tookS = (Date.now() - started) / 1000;

  console.log("\n== goals ==");
  console.log(`${verdict(lost === 0 && ackShas.length > 0)}  every acknowledged delivery is stored — ${ackShas.length} acknowledged, ${lost} lost`);
  console.log(
    `${verdict(allProcessed)}  after restart + drain, every acknowledged delivery is PROCESSED — ` +
      `${unprocessed.length} were left by the crash; ${show(countStates(final.values()))} after ${rounds.length} retry run(s), ${fmt(tookS)} s`,
  );

  console.log("");
  const logs = { crashed: summarizeLog(setup.logFile("next-1")), restarted: summarizeLog(setup.logFile("next-2")) };
  printLogSummary(logs.crashed);
  printLogSummary(logs.restarted);
  const file = writeResults("kill", setup.stamp, {
    at: new Date().toISOString(),
    machine: machineLine(),
    settings: { rate: RATE, durationS: DURATION_S, killAfterMs: KILL_AFTER_MS, mix: MIX },
    load: { scheduled: requests.length, sentBeforeKill, acknowledged: ackShas.length, failedByReason },
    afterCrash: { lost, states: crashStates, unprocessed: unprocessed.length, notAcknowledgedButStored: inFlight.size },
    rounds,
    goals: { noneLost: lost === 0, allProcessed },
    serverLogs: logs,
  });
  console.log(`results: ${file}`);
}

await runBench(main, { timeoutMs: 10 * 60_000 });
process.exit(process.exitCode ?? 0);
