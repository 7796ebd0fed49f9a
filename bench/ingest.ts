// npm run bench:ingest [-- --rates 80,160,320,480 --duration 15 --clients 50 …]
// Webhook ingest under load, against `next start` on a fresh database (see bench/README.md):
//   a. open-loop deliveries at fixed rates: latency, lost acknowledgements, processing backlog;
//   b. closed-loop maximum throughput of GET /api/ping (framework floor), our webhook POST, and a
//      plain node:http receiver doing the same ingest work;
//   c. the goals, PASS/MISS. Results also go to bench/results/ingest-<timestamp>.json.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { RESULTS_DIR, setUpBench, type BenchSetup } from "@/bench/lib/bench-setup";
import { onCleanup, runBench } from "@/bench/lib/cleanup";
import { coresUsed, cpuSnapshot } from "@/bench/lib/cpu";
import { printProfileSummary, summarizeProfiles, type ProfileSummary } from "@/bench/lib/cpu-profile";
import { countMissing, failedProcessing, inboundMessages } from "@/bench/lib/database";
import { keepAliveAgent, runClosedLoop, runOpenLoop, targetOf, type ClosedLoopResult } from "@/bench/lib/http-load";
import { summarize, type LatencySummary } from "@/bench/lib/percentiles";
import { freePort, spawnGroup } from "@/bench/lib/processes";
import { fmt, machineLine, verdict, waitForDrain, writeResults, type Drain } from "@/bench/lib/report";
import { backlogSlope, startSampler, type Sample } from "@/bench/lib/sampler";
import { countErrorLines, printLogSummary, summarizeLog } from "@/bench/lib/server-log";
import type { RunningServer } from "@/bench/lib/start-server";
import { getRequest, TrafficGenerator, WEBHOOK_PATH, type PreparedRequest } from "@/bench/lib/traffic";

const { values: flags } = parseArgs({
  options: {
    rates: { type: "string", default: "80,160,320,480" },
    duration: { type: "string", default: "15" },
    after: { type: "string", default: "5" },
    "drain-timeout": { type: "string", default: "90" },
    clients: { type: "string", default: "50" },
    "closed-duration": { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    "closed-bodies": { type: "string", default: "15000" },
    "baseline-bodies": { type: "string", default: "150000" },
    "pool-size": { type: "string" },
    "timeout-ms": { type: "string", default: "10000" },
    customers: { type: "string", default: "500" },
    "skip-open": { type: "boolean", default: false },
    "skip-closed": { type: "boolean", default: false },
    targets: { type: "string", default: "ping,ping-post,ours,ingest-only,texts,baseline" },
    "cpu-prof": { type: "boolean", default: false },
    build: { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
    // npm run worker processes beside next start (the self-hosted shape: processing on its own core).
    workers: { type: "string", default: "0" },
  },
});

const RATES = flags.rates.split(",").map(Number).filter((r) => r > 0);
const DURATION_S = Number(flags.duration);
const AFTER_S = Number(flags.after);
const DRAIN_TIMEOUT_MS = Number(flags["drain-timeout"]) * 1_000;
const CLIENTS = Number(flags.clients);
const CLOSED_MS = Number(flags["closed-duration"]) * 1_000;
const WARMUP_MS = Number(flags.warmup) * 1_000;
const TIMEOUT_MS = Number(flags["timeout-ms"]);
const TARGETS = new Set(flags.targets.split(","));
const POOL_SIZE = flags["pool-size"] ? Number(flags["pool-size"]) : undefined;

const GOAL_RATE = 320;
const GOAL_P99_MS = 250;
const GOAL_FLOOR_RATIO = 0.8;
const GOAL_PROCESSED_PER_S = 400;

interface RateResult {
  rate: number;
  deliveries: number;
  achievedPerSec: number;
  latencyMs: LatencySummary;
  generatorLagP99Ms: number;
  non200: number;
  non200ByReason: Record<string, number>;
  lost: number;
  backlog: { atEnd: number; peak: number; slopePerSec: number; after: number; keepsUp: boolean };
  /** Deliveries of this phase whose processing threw (FAILED, waiting for the retry path). */
  failedProcessing: number;
  serverErrorLines: number;
  drain: Drain;
  appDbConnectionsActive: { mean: number; max: number };
  cores: Record<string, number>;
  samples: Sample[];
}

interface TargetResult {
  name: string;
  perSecond: number;
  latencyMs: LatencySummary;
  non200: number;
  errors: Record<string, number>;
  reused: number;
  cores: Record<string, number>;
  drainAfter?: Drain;
  failedProcessing?: number;
  /** texts: inbound messages stored over the whole run (warm-up included), per second. */
  processed?: { messages: number; runSeconds: number; perSecond: number; acknowledged: number; endToEndPerSecond: number };
}

// ------------------------------------------------------------------------------------------ part a

const WORKERS = Number(flags.workers);
const workerPids: number[] = [];

/** `npm run worker` (scripts/worker.ts) in its own process group on the bench's database. */
function startWorker(setup: BenchSetup, i: number): number {
  const group = spawnGroup(process.execPath, ["--import", "tsx", path.join("scripts", "worker.ts")], { env: setup.env, logFile: setup.logFile(`worker-${i}`) });
  onCleanup(`worker ${i} (pid ${group.pid})`, () => group.stop());
  return group.pid;
}

/** The process groups whose CPU each part reports. */
function processGroups(server: RunningServer): Record<string, number[]> {
  return WORKERS > 0 ? { next: [server.process.pid], worker: workerPids } : { next: [server.process.pid] };
}

async function openLoopAtRate(setup: BenchSetup, server: RunningServer, gen: TrafficGenerator, rate: number): Promise<RateResult> {
  const requests = gen.next(Math.round(rate * DURATION_S));
  await gen.seed(setup.db.pool);
  const agent = keepAliveAgent(1_024);
  const groups = processGroups(server);
  const failedBefore = await failedProcessing(setup.db.pool);
  const errorsBefore = countErrorLines(setup.logFile("next"));
  const sampler = startSampler(setup.db.pool, setup.db.name);
  const cpu0 = cpuSnapshot();
  const run = await runOpenLoop({ target: targetOf(server.url), agent, requests, rate, timeoutMs: TIMEOUT_MS });
  const cores = coresUsed(cpu0, cpuSnapshot(), groups);
  const runSeconds = run.elapsedMs / 1_000;
  await sleep(AFTER_S * 1_000);
  const samples = await sampler.stop();
  agent.destroy();

  const acknowledged = run.samples.filter((s) => s.status === 200).map((s) => requests[s.index]!.sha256!);
  const non200ByReason: Record<string, number> = {};
  for (const s of run.samples) {
    if (s.status === 200) continue;
    const key = s.error ?? String(s.status);
    non200ByReason[key] = (non200ByReason[key] ?? 0) + 1;
  }
  const during = samples.filter((s) => s.t <= runSeconds);
  const afterSample = samples.at(-1);
  const slope = backlogSlope(during);
  const active = during.map((s) => s.connections.active ?? 0);
  const backlogAfter = afterSample?.backlog ?? 0;
  const lost = await countMissing(setup.db.pool, acknowledged);
  // Before the next rate, let whatever is left finish, so rates do not pollute each other.
  const drain = await waitForDrain(setup.db.pool, DRAIN_TIMEOUT_MS);
  const failed = (await failedProcessing(setup.db.pool)) - failedBefore;
  return {
    rate,
    deliveries: requests.length,
    achievedPerSec: acknowledged.length / runSeconds,
    latencyMs: summarize(run.samples.map((s) => s.latencyMs)),
    generatorLagP99Ms: summarize(run.samples.map((s) => s.lagMs)).p99,
    non200: run.samples.length - acknowledged.length,
    non200ByReason,
    lost,
    backlog: {
      atEnd: during.at(-1)?.backlog ?? 0,
      peak: Math.max(0, ...during.map((s) => s.backlog)),
      slopePerSec: Math.round(slope * 10) / 10,
      after: backlogAfter,
      keepsUp: slope <= Math.max(1, 0.02 * rate) && backlogAfter === 0 && failed === 0,
    },
    failedProcessing: failed,
    serverErrorLines: countErrorLines(setup.logFile("next")) - errorsBefore,
    drain,
    appDbConnectionsActive: { mean: Math.round((active.reduce((a, b) => a + b, 0) / Math.max(1, active.length)) * 10) / 10, max: Math.max(0, ...active) },
    cores,
    samples,
  };
}

function printRate(r: RateResult): void {
  const l = r.latencyMs;
  const b = r.backlog;
  console.log(
    `${String(r.rate).padStart(4)}/s  achieved ${fmt(r.achievedPerSec).padStart(6)}/s  ` +
      `p50 ${fmt(l.p50)}  p90 ${fmt(l.p90)}  p99 ${fmt(l.p99)}  max ${fmt(l.max)} ms  ` +
      `non-200 ${r.non200}  lost ${r.lost}`,
  );
  console.log(
    `        backlog: peak ${b.peak}, end of run ${b.atEnd}, trend ${b.slopePerSec >= 0 ? "+" : ""}${b.slopePerSec}/s, ${AFTER_S} s after ${b.after} → ` +
      `${b.keepsUp ? "keeps up" : "FALLS BEHIND"}${r.drain.from > 0 ? ` (drained in a further ${fmt(r.drain.ms / 1000)} s${r.drain.drained ? "" : `, ${r.drain.left} left`})` : ""}; ` +
      `processing failed (left for the retry path): ${r.failedProcessing}; server error lines: ${r.serverErrorLines}`,
  );
  console.log(`        backlog per second: ${r.samples.map((s) => s.backlog).join(" ")}`);
  if (r.failedProcessing > 0) {
    const base = r.samples[0]?.failed ?? 0;
    console.log(`        processing failures so far, per second: ${r.samples.map((s) => s.failed - base).join(" ")}`);
  }
  console.log(
    `        cores used: ${Object.entries(r.cores).map(([k, v]) => `${k} ${v}`).join(", ")}; ` +
      `app db connections active mean ${r.appDbConnectionsActive.mean} max ${r.appDbConnectionsActive.max}; generator lag p99 ${fmt(r.generatorLagP99Ms)} ms` +
      (r.non200 ? `; non-200: ${JSON.stringify(r.non200ByReason)}` : ""),
  );
}

// ------------------------------------------------------------------------------------------ part b

async function closedLoop(name: string, url: string, requests: PreparedRequest[], groups: Record<string, number[]>): Promise<TargetResult> {
  const cpu0 = cpuSnapshot();
  const r: ClosedLoopResult = await runClosedLoop({ target: targetOf(url), clients: CLIENTS, warmupMs: WARMUP_MS, durationMs: CLOSED_MS, timeoutMs: TIMEOUT_MS, requests });
  return { name, perSecond: r.perSecond, latencyMs: summarize(r.latenciesMs), non200: r.non200, errors: r.errors, reused: r.reused, cores: coresUsed(cpu0, cpuSnapshot(), groups) };
}

async function startBaseline(setup: BenchSetup): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const group = spawnGroup(process.execPath, ["--import", "tsx", path.join("bench", "baselines", "node-http-ingest.ts")], {
    env: { ...setup.env, PORT: String(port) },
    logFile: setup.logFile("baseline"),
  });
  const stop = onCleanup(`baseline (pid ${group.pid})`, () => group.stop());
  const url = `http://127.0.0.1:${port}`;
  // It answers 405 to GET once listening: wait for the port rather than for a 200.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(url, { method: "GET" }).then(
      (res) => res.status === 405,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`baseline did not start; see ${setup.logFile("baseline")}`);
    await sleep(200);
  }
  return { url, pid: group.pid, stop };
}

function printTarget(t: TargetResult): void {
  const l = t.latencyMs;
  console.log(
    `${t.name.padEnd(34)} ${fmt(t.perSecond, 0).padStart(7)} req/s  p50 ${fmt(l.p50)}  p99 ${fmt(l.p99)}  max ${fmt(l.max)} ms  non-200 ${t.non200}` +
      `${t.reused ? `  (${t.reused} bodies re-sent)` : ""}  cores: ${Object.entries(t.cores)
        .filter(([k]) => k !== "machineCores")
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}`,
  );
  if (t.non200) console.log(`    non-200: ${JSON.stringify(t.errors)}`);
}

// ------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
  console.log(machineLine());
  const setup = await setUpBench({ name: "ingest", keepDb: flags["keep-db"], build: flags.build, poolSize: POOL_SIZE, customers: Number(flags.customers) });
  // --cpu-prof: V8 profiles of the Next server, written when it exits and summarised at the end.
  const profileDir = path.resolve(RESULTS_DIR, `ingest-${setup.stamp}-cpuprofile`);
  if (flags["cpu-prof"]) mkdirSync(profileDir, { recursive: true });
  const server = await setup.startServer("next", flags["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []);
  for (let i = 0; i < WORKERS; i++) workerPids.push(startWorker(setup, i));
  console.log(
    `database ${setup.db.name}, app pool size ${POOL_SIZE ?? "default (10)"}, ${setup.build}, next start on ${server.url} (log ${setup.logFile("next")})` +
      (WORKERS > 0 ? `, ${WORKERS} × npm run worker beside it` : ""),
  );
  const gen = new TrafficGenerator(setup.number, setup.customers);

  // Warm-up (not reported): loads the route's modules and fills the connection pools.
  const warm = gen.next(400);
  await gen.seed(setup.db.pool);
  const warmAgent = keepAliveAgent(256);
  await runOpenLoop({ target: targetOf(server.url), agent: warmAgent, requests: warm, rate: 100, timeoutMs: TIMEOUT_MS });
  warmAgent.destroy();
  await waitForDrain(setup.db.pool, DRAIN_TIMEOUT_MS);

  const rates: RateResult[] = [];
  if (!flags["skip-open"]) {
    console.log(`\n== a. open loop: ${DURATION_S} s per rate, 1 message + 3 statuses per 4 deliveries; latency from each request's scheduled send ==`);
    for (const rate of RATES) {
      const r = await openLoopAtRate(setup, server, gen, rate);
      rates.push(r);
      printRate(r);
    }
  }

  const targets: TargetResult[] = [];
  if (!flags["skip-closed"]) {
    console.log(`\n== b. closed loop: ${CLIENTS} keep-alive clients, ${WARMUP_MS / 1000} s warm-up + ${CLOSED_MS / 1000} s measured per target ==`);
    const groups = processGroups(server);
    if (TARGETS.has("ping")) {
      const floor = await closedLoop("GET /api/ping (next start, floor)", server.url, [getRequest("/api/ping")], groups);
      floor.reused = 0; // one GET sent over and over is the point, not a shortage of bodies
      targets.push(floor);
      printTarget(floor);
    }

    if (TARGETS.has("ping-post")) {
      // The same bodies as ours, to a route that only reads them: the floor for a POST with a body.
      const bodies = gen.nextMalformed(2_000).map((r) => ({ ...r, path: "/api/ping" }));
      const floor = await closedLoop("POST /api/ping (body read, floor)", server.url, bodies, groups);
      floor.reused = 0;
      targets.push(floor);
      printTarget(floor);
    }

    if (TARGETS.has("ours")) {
      const bodies = gen.next(Number(flags["closed-bodies"]));
      await gen.seed(setup.db.pool);
      const failedBefore = await failedProcessing(setup.db.pool);
      const ours = await closedLoop(`POST ${WEBHOOK_PATH} (ours)`, server.url, bodies, groups);
      // Processing of what was just ingested continues in after(): let it finish before the next target.
      ours.drainAfter = await waitForDrain(setup.db.pool, DRAIN_TIMEOUT_MS * 2);
      ours.failedProcessing = (await failedProcessing(setup.db.pool)) - failedBefore;
      targets.push(ours);
      printTarget(ours);
      const d = ours.drainAfter;
      console.log(
        `    backlog after the run: ${d.from}, ${d.drained ? "drained" : `${d.left} left`} in ${fmt(d.ms / 1000)} s` +
          (d.from > 0 && d.ms > 0 ? ` (≈ ${fmt((d.from - d.left) / (d.ms / 1000), 0)} events/s processed with no ingest)` : "") +
          `; processing failed: ${ours.failedProcessing}`,
      );
    }

    if (TARGETS.has("texts")) {
      // Single text messages only: how fast they are processed (stored as messages) while ingest runs.
      const bodies = gen.nextMessages(Number(flags["closed-bodies"]));
      const before = await inboundMessages(setup.db.pool);
      const began = performance.now();
      const texts = await closedLoop(`POST ${WEBHOOK_PATH} (single texts)`, server.url, bodies, groups);
      const runSeconds = (performance.now() - began) / 1_000;
      const duringRun = (await inboundMessages(setup.db.pool)) - before;
      texts.drainAfter = await waitForDrain(setup.db.pool, DRAIN_TIMEOUT_MS * 2);
      const total = (await inboundMessages(setup.db.pool)) - before;
      const acknowledged = total + texts.drainAfter.left; // every acknowledged body is one message
      texts.processed = {
        messages: duringRun,
        runSeconds: Math.round(runSeconds * 10) / 10,
        perSecond: duringRun / runSeconds,
        acknowledged,
        endToEndPerSecond: total / (runSeconds + texts.drainAfter.ms / 1_000),
      };
      targets.push(texts);
      printTarget(texts);
      const p = texts.processed;
      console.log(
        `    processed during the run: ${p.messages} messages in ${fmt(p.runSeconds)} s = ${fmt(p.perSecond, 0)} msg/s (acknowledged ${p.acknowledged}); ` +
          `backlog after the run ${texts.drainAfter.from}, ${texts.drainAfter.drained ? "drained" : `${texts.drainAfter.left} left`} in ${fmt(texts.drainAfter.ms / 1000)} s; ` +
          `end to end ${fmt(p.endToEndPerSecond, 0)} msg/s`,
      );
    }

    if (TARGETS.has("ingest-only")) {
      // Diagnostic: the same route when it only ingests (the body fails validation, so no after()).
      targets.push(await closedLoop(`POST ${WEBHOOK_PATH} (ours, ingest only*)`, server.url, gen.nextMalformed(Number(flags["closed-bodies"])), groups));
      printTarget(targets.at(-1)!);
    }

    if (TARGETS.has("baseline")) {
      const baseline = await startBaseline(setup);
      const bodies = new TrafficGenerator(setup.number, setup.customers).next(Number(flags["baseline-bodies"]));
      targets.push(await closedLoop("POST (plain node:http + pg baseline)", baseline.url, bodies, { baseline: [baseline.pid], next: [server.process.pid] }));
      printTarget(targets.at(-1)!);
      await baseline.stop();
    }
    if (TARGETS.has("ingest-only")) {
      console.log("    * diagnostic, not a goal: signed deliveries that fail validation are stored (FAILED, malformed) with no processing scheduled");
    }
  }

  // ---------------------------------------------------------------------------------------- goals
  const atGoal = rates.find((r) => r.rate === GOAL_RATE);
  const floor = targets.find((t) => t.name.startsWith("GET /api/ping"));
  const ours = targets.find((t) => t.name.includes("(ours)"));
  const ingestOnly = targets.find((t) => t.name.includes("ingest only"));
  const baseline = targets.find((t) => t.name.includes("baseline"));
  const postFloor = targets.find((t) => t.name.startsWith("POST /api/ping"));
  const texts = targets.find((t) => t.processed);
  const ratio = floor && ours ? ours.perSecond / floor.perSecond : null;
  const postRatio = postFloor && ours ? ours.perSecond / postFloor.perSecond : null;
  const goals = {
    p99AndLossAt320: atGoal ? atGoal.latencyMs.p99 <= GOAL_P99_MS && atGoal.lost === 0 : null,
    ingestVsFloor: ratio === null ? null : ratio >= GOAL_FLOOR_RATIO,
    backlogDrains: rates.length ? rates.every((r) => r.backlog.keepsUp) : null,
    processedRate: texts?.processed ? texts.processed.perSecond >= GOAL_PROCESSED_PER_S : null,
  };
  console.log("\n== c. goals ==");
  console.log(
    `${verdict(goals.p99AndLossAt320)}  at ${GOAL_RATE} deliveries/s (80 msg/s): p99 ≤ ${GOAL_P99_MS} ms and 0 lost` +
      (atGoal ? ` — p99 ${fmt(atGoal.latencyMs.p99)} ms, lost ${atGoal.lost}, non-200 ${atGoal.non200}` : ` — ${GOAL_RATE}/s was not run`),
  );
  console.log(
    `${verdict(goals.ingestVsFloor)}  ingest ≥ ${GOAL_FLOOR_RATIO * 100}% of the framework floor` +
      (ratio !== null ? ` — ours ${fmt(ours!.perSecond, 0)} / floor ${fmt(floor!.perSecond, 0)} req/s = ${fmt(ratio * 100)}%` : "") +
      (baseline && ours ? `; plain node:http baseline ${fmt(baseline.perSecond, 0)} req/s (ours = ${fmt((ours.perSecond / baseline.perSecond) * 100)}% of it)` : "") +
      (ingestOnly && floor ? `; ingest only* ${fmt(ingestOnly.perSecond, 0)} req/s = ${fmt((ingestOnly.perSecond / floor.perSecond) * 100)}% of the floor` : ""),
  );
  if (postRatio !== null) {
    console.log(
      `${verdict(postRatio >= GOAL_FLOOR_RATIO)}  ingest ≥ ${GOAL_FLOOR_RATIO * 100}% of the POST-with-body floor — ours ${fmt(ours!.perSecond, 0)} / POST floor ${fmt(postFloor!.perSecond, 0)} req/s = ${fmt(postRatio * 100)}%`,
    );
  }
  console.log(
    `${verdict(goals.processedRate)}  single text messages processed ≥ ${GOAL_PROCESSED_PER_S}/s while ingesting` +
      (texts?.processed ? ` — ${fmt(texts.processed.perSecond, 0)} msg/s during the run, ${fmt(texts.processed.endToEndPerSecond, 0)} msg/s end to end` : " — texts was not run"),
  );
  console.log(
    `${verdict(goals.backlogDrains)}  at every rate the backlog does not grow, is 0 ${AFTER_S} s after the run, and no processing fails` +
      (rates.length
        ? ` — ${rates.map((r) => `${r.rate}/s ${r.backlog.keepsUp ? "ok" : `falls behind (trend ${r.backlog.slopePerSec}/s, ${r.backlog.after} left after ${AFTER_S} s, ${r.failedProcessing} failed)`}`).join("; ")}`
        : ""),
  );

  console.log("");
  let profile: ProfileSummary | null = null;
  if (flags["cpu-prof"]) {
    await server.stop(); // the profile is written as the process exits
    profile = summarizeProfiles(profileDir);
    if (profile) printProfileSummary(profile);
    else console.log(`no CPU profile found in ${profileDir}`);
  }
  const log = summarizeLog(setup.logFile("next"));
  printLogSummary(log);
  const file = writeResults("ingest", setup.stamp, {
    at: new Date().toISOString(),
    machine: machineLine(),
    build: setup.build,
    settings: { rates: RATES, durationS: DURATION_S, afterS: AFTER_S, clients: CLIENTS, closedMs: CLOSED_MS, warmupMs: WARMUP_MS, poolSize: POOL_SIZE ?? null },
    openLoop: rates,
    closedLoop: targets,
    ratioOursToFloor: ratio,
    ratioOursToPostFloor: postRatio,
    goals,
    serverLog: log,
    cpuProfile: profile,
  });
  console.log(`results: ${file}`);
}

await runBench(main, { timeoutMs: 20 * 60_000 });
process.exit(process.exitCode ?? 0);
