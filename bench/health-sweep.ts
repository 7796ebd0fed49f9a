// npm run bench:health-sweep [-- --connections 10000 --latency 100 --rate N --concurrency N --sample 200 …]
// The `whatsapp-health-check` job over many connections against the Graph simulator (see bench/README.md):
//   a. the seeds' strategy — one connection at a time, a fixed 100 ms sleep between checks — on a sample,
//      extrapolated to every connection;
//   b. the job through runJob(), invocation after invocation (each has a time budget and resumes from the
//      saved cursor) until the sweep is done: job time, wall time, requests/s, and the peak number of
//      requests the simulator saw in any one-second window against the configured cap;
//   c. the goals, PASS/MISS, and the ratio between a and b.
// The app reads HEALTH_CHECK_* once, at import: each run is a child process (this file with --worker),
// started with its own settings. The simulator stays in this process, so it counts every run's requests.
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import type pg from "pg";
import { RESULTS_DIR } from "@/bench/lib/bench-setup";
import { runJobUntilDone, type Invocation } from "@/bench/lib/run-job-until-done";
import { onCleanup, runBench } from "@/bench/lib/cleanup";
import { coresUsed, cpuSnapshot } from "@/bench/lib/cpu";
import { createBenchDatabase, type BenchDatabase } from "@/bench/lib/database";
import { spawnGroup } from "@/bench/lib/processes";
import { fmt, machineLine, verdict, writeResults } from "@/bench/lib/report";
import { startGraphSimulator, type GraphSimulator } from "@/sim/graph-server";

// Job locks are keyed by job name alone (whatrack:lock:job:<name>): on the Redis database the tests use (0),
// a bench run would hold the lock against another session's test of the same job, which would get 429.
const JOB_REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/1";

const { values: flags } = parseArgs({
  options: {
    connections: { type: "string", default: "10000" },
    workspaces: { type: "string", default: "20" },
    latency: { type: "string", default: "100" },
    rate: { type: "string" },
    concurrency: { type: "string" },
    budget: { type: "string" },
    sample: { type: "string", default: "200" },
    "fallback-concurrency": { type: "string", default: "50" },
    "keep-db": { type: "boolean", default: false },
    // Internal: a child run (sweep | sequential), writing its result to --result.
    worker: { type: "string" },
    result: { type: "string" },
  },
});

const SCRIPT = path.join("bench", "health-sweep.ts");
const GOAL_CONNECTIONS = 10_000;
const GOAL_JOB_SECONDS = 60;
/** The seeds' pause between two checks (/work/shared/seeds/000_*.txt: "100ms delay between checks"). */
const SEQUENTIAL_SLEEP_MS = 100;
/** A sweep that needs more invocations than this is broken, not slow. */

// ============================================================================================ worker


interface SweepWorkerResult {
  kind: "sweep";
  cores: Record<string, number>;
  invocations: Invocation[];
  /** Answers "busy" (the job lock was held by someone else): waited out, not counted as job time. */
  busy: number;
  jobMs: number;
  wallMs: number;
  done: boolean;
}

interface SequentialWorkerResult {
  kind: "sequential";
  cores: Record<string, number>;
  checked: number;
  ms: number;
  checkMs: number;
  counts: Record<string, number>;
}

type WorkerResult = SweepWorkerResult | SequentialWorkerResult;

/**
 * CPU over the worker's work, measured by the worker itself: once it exits, its process and its
 * PostgreSQL backends are gone from /proc and their time with them. "bench" = this worker, "simulator" =
 * the orchestrator's process group (the Graph simulator lives there), postgres, and everything else.
 */
function cpuMeter(): () => Record<string, number> {
  const stat = readFileSync(`/proc/${process.ppid}/stat`, "utf8");
  const parentGroup = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]);
  const before = cpuSnapshot();
  return () => {
    const { bench, ...rest } = coresUsed(before, cpuSnapshot(), { simulator: [parentGroup] });
    return { worker: bench ?? 0, ...rest };
  };
}

function addCounts(into: Record<string, number>, counts: Record<string, number>): void {
  for (const [k, n] of Object.entries(counts)) into[k] = (into[k] ?? 0) + n;
}

/** The job as the cron would run it: runJob() until an invocation reports the sweep finished. */
async function sweepWorker(budgetSeconds: number | null): Promise<SweepWorkerResult> {
  const { findJob } = await import("@/lib/jobs/job-registry");
  const base = findJob("whatsapp-health-check");
  if (!base) throw new Error('job "whatsapp-health-check" is not registered');
  const def = budgetSeconds ? { ...base, budgetSeconds } : base;
  const cores = cpuMeter();
  const { invocations, busy, first, last } = await runJobUntilDone(def, "bench:health-sweep");
  const done = invocations.at(-1)?.status === "succeeded" && !invocations.at(-1)?.hasMore;
  return { kind: "sweep", cores: cores(), invocations, busy, jobMs: invocations.reduce((a, i) => a + i.ms, 0), wallMs: first === null ? 0 : last - first, done };
}

/** The seeds' strategy on `sample` connections: check one, sleep 100 ms, next — no concurrency, no cap. */
async function sequentialWorker(sample: number): Promise<SequentialWorkerResult> {
  const { prisma } = await import("@/lib/db/client");
  const { checkTokenHealth } = await import("@/lib/health/check-token-health");
  const ids = (await prisma.whatsAppConnection.findMany({ orderBy: { id: "desc" }, take: sample, select: { id: true } })).map((r) => r.id);
  // The same per-connection work as the job (load, decrypt, Graph call, health row): only the
  // scheduling differs. The seeds had no rate limiter: one call at a time is its own limit.
  const direct = <T>(call: () => Promise<T>) => call();
  const counts: Record<string, number> = {};
  let checkMs = 0;
  const cores = cpuMeter();
  const started = performance.now();
  for (const id of ids) {
    const t = performance.now();
    addCounts(counts, await checkTokenHealth(id, { rateLimited: direct }));
    checkMs += performance.now() - t;
    await sleep(SEQUENTIAL_SLEEP_MS);
  }
  return { kind: "sequential", cores: cores(), checked: ids.length, ms: performance.now() - started, checkMs, counts };
}

async function runWorker(mode: string): Promise<void> {
  const resultFile = flags.result;
  if (!resultFile) throw new Error("--worker needs --result <file>");
  const { closeDatabase } = await import("@/lib/db/client");
  const { closeRedisLockClients } = await import("@/lib/locks/redis-lock-store");
  try {
    const result: WorkerResult =
      mode === "sweep" ? await sweepWorker(flags.budget ? Number(flags.budget) : null) : await sequentialWorker(Number(flags.sample));
    writeFileSync(resultFile, JSON.stringify(result));
  } finally {
    await closeDatabase().catch(() => undefined);
    await closeRedisLockClients().catch(() => undefined);
  }
}

// ====================================================================================== orchestrator

interface Settings {
  connections: number;
  workspaces: number;
  latencyMs: number;
  rate: number;
  rateFrom: string;
  concurrency: number;
  concurrencyFrom: string;
  budgetSeconds: number;
  budgetFrom: string;
  sample: number;
}

interface Child {
  label: string;
  result: WorkerResult;
  sim: { requests: number; peakPerSecond: number; byStatus: Record<string, number> };
  log: string;
}

/** Runs this file as a worker in its own process group with `env`, and returns what it reported. */
async function runChild(label: string, args: string[], env: NodeJS.ProcessEnv, sim: GraphSimulator, stamp: string): Promise<Child> {
  const log = path.join(RESULTS_DIR, `health-sweep-${stamp}-${label}.log`);
  const resultFile = path.join(RESULTS_DIR, `health-sweep-${stamp}-${label}.result.json`);
  sim.control.reset(); // fresh request counts and peak window for this run (latency stays as started)
  const group = spawnGroup(process.execPath, ["--import", "tsx", SCRIPT, "--result", resultFile, ...args], { env, logFile: log });
  const stop = onCleanup(`${label} worker (pid ${group.pid})`, () => group.stop());
  const exit = await group.exited;
  await stop();
  const stats = sim.control.stats();
  let result: WorkerResult;
  try {
    result = JSON.parse(readFileSync(resultFile, "utf8")) as WorkerResult;
  } catch {
    throw new Error(`the ${label} worker reported nothing (${exit}); see ${log}`);
  }
  rmSync(resultFile); // the run's figures go into the bench's own results file
  return { label, result, sim: { requests: stats.totalRequests, peakPerSecond: stats.peakPerSecond, byStatus: stats.byStatus }, log };
}

const showCores = (cores: Record<string, number>) =>
  Object.entries(cores)
    .filter(([k]) => k !== "machineCores")
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");

const showCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ") || "none";

/** Workspaces and connections straight into the tables, each connection with its own sealed token. */
async function seedConnections(db: BenchDatabase, s: Settings): Promise<void> {
  const { sealToken } = await import("@/lib/crypto/token-vault");
  const run = process.pid;
  const workspaces = Array.from({ length: s.workspaces }, (_, w) => ({ id: `bench_ws_${run}_${w}`, slug: `bench-${run}-${w}`, wabaId: String(300_000_000_000_000 + w) }));
  await db.pool.query(
    `INSERT INTO "Workspace" (id, name, slug, "updatedAt") SELECT w.id, 'Bench shop ' || w.slug, w.slug, now() FROM unnest($1::text[], $2::text[]) AS w(id, slug)`,
    [workspaces.map((w) => w.id), workspaces.map((w) => w.slug)],
  );
  const CHUNK = 2_000;
  for (let from = 0; from < s.connections; from += CHUNK) {
    const rows = Array.from({ length: Math.min(CHUNK, s.connections - from) }, (_, k) => {
      const i = from + k;
      const ws = workspaces[i % workspaces.length]!;
      // The vault binds the workspace id into every ciphertext: each token is sealed for its own row.
      const sealed = sealToken(`EAAB${randomBytes(24).toString("hex")}`, ws.id);
      const n = String(i).padStart(6, "0");
      return { id: `bench_conn_${n}`, tokenId: `bench_tok_${n}`, ws, sealed, phoneNumberId: String(100_000_000_000_000 + i), display: `1555${String(i).padStart(7, "0")}` };
    });
    const buf = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    await db.pool.query(
      `INSERT INTO "AccessToken" (id, "workspaceId", "keyId", iv, ciphertext, "authTag", last4, "updatedAt")
         SELECT t.id, t.ws, t.key, t.iv, t.ct, t.tag, t.last4, now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::bytea[], $6::bytea[], $7::text[]) AS t(id, ws, key, iv, ct, tag, last4)`,
      [
        rows.map((r) => r.tokenId),
        rows.map((r) => r.ws.id),
        rows.map((r) => r.sealed.keyId),
        rows.map((r) => buf(r.sealed.iv)),
        rows.map((r) => buf(r.sealed.ciphertext)),
        rows.map((r) => buf(r.sealed.authTag)),
        rows.map((r) => r.sealed.last4),
      ],
    );
    await db.pool.query(
      `INSERT INTO "WhatsAppConnection" (id, "workspaceId", "wabaId", "phoneNumberId", "displayPhoneNumber", "tokenId", "updatedAt")
         SELECT c.id, c.ws, c.waba, c.pnid, c.display, c.tok, now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS c(id, ws, waba, pnid, display, tok)`,
      [rows.map((r) => r.id), rows.map((r) => r.ws.id), rows.map((r) => r.ws.wabaId), rows.map((r) => r.phoneNumberId), rows.map((r) => r.display), rows.map((r) => r.tokenId)],
    );
  }
}

interface SweepRun {
  concurrency: number;
  child: Child & { result: SweepWorkerResult };
  checked: number;
  /** Connections whose lastHealthCheckAt is from this run, and health rows it wrote: the database's count. */
  claimedRows: number;
  healthRows: Record<string, number>;
  /** Graph call time as the app timed it (health rows' latencyMs: no wait for a slot, event-loop delays included). */
  graphMs: { p50: number; p99: number };
  jobSeconds: number;
  checksPerSecond: number;
  requestsPerSecond: number;
  meetsTime: boolean | null;
  underCap: boolean;
}

async function sweepRun(label: string, concurrency: number, s: Settings, env: NodeJS.ProcessEnv, db: BenchDatabase, sim: GraphSimulator, stamp: string): Promise<SweepRun> {
  const since = new Date();
  const child = (await runChild(
    label,
    ["--worker", "sweep", ...(flags.budget ? ["--budget", flags.budget] : [])],
    { ...env, HEALTH_CHECK_CONCURRENCY: String(concurrency), HEALTH_CHECK_RATE_PER_SECOND: String(s.rate) },
    sim,
    stamp,
  )) as Child & { result: SweepWorkerResult };
  const r = child.result;
  const checked = r.invocations.reduce((a, i) => a + (i.summary.total ?? 0), 0);
  const claimed = await count(db.pool, `SELECT count(*) AS n FROM "WhatsAppConnection" WHERE "lastHealthCheckAt" >= ($1::timestamptz AT TIME ZONE 'UTC')`, [since.toISOString()]);
  const { rows } = await db.pool.query<{ result: string; n: string }>(`SELECT result::text AS result, count(*) AS n FROM "HealthCheck" WHERE "checkedAt" >= ($1::timestamptz AT TIME ZONE 'UTC') GROUP BY 1 ORDER BY 1`,
    [since.toISOString()],
  );
  const { rows: latency } = await db.pool.query<{ p50: number | null; p99: number | null }>(
    `SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY "latencyMs") AS p50, percentile_disc(0.99) WITHIN GROUP (ORDER BY "latencyMs") AS p99
       FROM "HealthCheck" WHERE "checkedAt" >= ($1::timestamptz AT TIME ZONE 'UTC')`,
    [since.toISOString()],
  );
  const jobSeconds = r.jobMs / 1_000;
  return {
    concurrency,
    child,
    checked,
    claimedRows: claimed,
    healthRows: Object.fromEntries(rows.map((row) => [row.result, Number(row.n)])),
    graphMs: { p50: latency[0]?.p50 ?? 0, p99: latency[0]?.p99 ?? 0 },
    jobSeconds,
    checksPerSecond: checked / jobSeconds,
    requestsPerSecond: child.sim.requests / jobSeconds,
    meetsTime: s.connections === GOAL_CONNECTIONS ? r.done && checked >= s.connections && jobSeconds <= GOAL_JOB_SECONDS : null,
    underCap: child.sim.peakPerSecond <= s.rate,
  };
}

async function count(pool: pg.Pool, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

function printSweep(run: SweepRun, s: Settings): void {
  const r = run.child.result;
  r.invocations.forEach((inv, i) => {
    const what = inv.status === "succeeded" ? `${inv.summary.total ?? 0} checked (${showCounts({ ...inv.summary, total: 0, hasMore: 0 })})` : `${inv.status}: ${inv.error ?? ""}`;
    console.log(`  invocation ${i + 1}: ${fmt(inv.ms / 1000)} s, ${what}${inv.hasMore ? ", budget spent: the next one resumes from the cursor" : ""}`);
  });
  if (r.busy) console.log(`  (${r.busy} "busy" answers waited out: someone else held the job lock; not counted as job time)`);
  console.log(
    `job time ${fmt(run.jobSeconds)} s, wall time ${fmt(r.wallMs / 1000)} s, ${r.invocations.length} invocation(s), sweep ${r.done ? "finished" : "NOT finished"}; ` +
      `${run.checked} of ${s.connections} connections checked (database: ${run.claimedRows} claimed by this run, health rows ${showCounts(run.healthRows)})`,
  );
  console.log(
    `${fmt(run.checksPerSecond)} checks/s, ${fmt(run.requestsPerSecond)} Graph requests/s (${run.child.sim.requests} requests, answers ${showCounts(run.child.sim.byStatus)}); ` +
      `peak ${run.child.sim.peakPerSecond} requests in a 1-second window, configured cap ${s.rate}/s; ` +
      `Graph call as timed by the app p50 ${run.graphMs.p50} ms, p99 ${run.graphMs.p99} ms (simulator latency ${s.latencyMs} ms)`,
  );
  console.log(`cores: ${showCores(run.child.result.cores)}; ${machineLine().replace(/^machine: .*, load/, "load")}; worker log ${run.child.log}`);
}

async function orchestrate(): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  mkdirSync(RESULTS_DIR, { recursive: true });
  console.log(machineLine());

  const db = await createBenchDatabase({ keep: flags["keep-db"] });
  const latencyMs = Number(flags.latency);
  const sim = await startGraphSimulator({ latencyMs });
  onCleanup("graph simulator", () => sim.close());

  // The app's environment, for the workers and for sealing the tokens here. HEALTH_CHECK_* only when
  // given as flags: otherwise the workers use the configured values (this shell's, or the app's defaults).
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: process.env.LANG ?? "C.UTF-8",
    NODE_ENV: "production",
    DATABASE_URL: db.url,
    REDIS_URL: JOB_REDIS_URL,
    TOKEN_ENCRYPTION_KEY: `k1:${randomBytes(32).toString("hex")}`,
    GRAPH_API_BASE_URL: sim.url,
    LOG_LEVEL: "warn",
  };
  for (const key of ["DATABASE_URL", "REDIS_URL", "TOKEN_ENCRYPTION_KEY", "GRAPH_API_BASE_URL", "LOG_LEVEL"] as const) process.env[key] = env[key];
  const { env: appEnv } = await import("@/lib/env");
  const { findJob } = await import("@/lib/jobs/job-registry");
  const configuredBudget = findJob("whatsapp-health-check")?.budgetSeconds ?? 0;
  // A flag wins; otherwise the value the app itself would use.
  const pick = (flag: string | undefined, flagName: string, configured: number, what: string) =>
    flag ? { value: Number(flag), from: flagName } : { value: configured, from: what };
  const rate = pick(flags.rate, "--rate", appEnv.HEALTH_CHECK_RATE_PER_SECOND, "configured HEALTH_CHECK_RATE_PER_SECOND");
  const concurrency = pick(flags.concurrency, "--concurrency", appEnv.HEALTH_CHECK_CONCURRENCY, "configured HEALTH_CHECK_CONCURRENCY");
  const budget = pick(flags.budget, "--budget", configuredBudget, "the job's budgetSeconds");
  const s: Settings = {
    connections: Number(flags.connections),
    workspaces: Math.max(1, Math.min(Number(flags.workspaces), Number(flags.connections))),
    latencyMs,
    rate: rate.value,
    rateFrom: rate.from,
    concurrency: concurrency.value,
    concurrencyFrom: concurrency.from,
    budgetSeconds: budget.value,
    budgetFrom: budget.from,
    sample: Math.min(Number(flags.sample), Number(flags.connections)),
  };
  env.HEALTH_CHECK_RATE_PER_SECOND = String(s.rate);
  const ceiling = s.rate / (1 + s.latencyMs / 1000);
  console.log(
    `settings: ${s.connections} connections in ${s.workspaces} workspaces; Graph simulator latency ${s.latencyMs} ms (in this process); ` +
      `rate cap ${s.rate}/s (${s.rateFrom}); concurrency ${s.concurrency} (${s.concurrencyFrom}); budget per invocation ${s.budgetSeconds} s (${s.budgetFrom}); ` +
      `token check: phone-number probe (META_APP_ID unset), 1 Graph request per connection; job lock on ${JOB_REDIS_URL}`,
  );
  console.log(
    `  the limiter holds each of its ${s.rate} slots until 1 s after a call settles, so it allows at most ${s.rate}/(1 s + ${s.latencyMs} ms) ≈ ${fmt(ceiling)} checks/s ` +
      `→ ≥ ${fmt(s.connections / ceiling)} s for ${s.connections}`,
  );

  const seeded = performance.now();
  await seedConnections(db, s);
  console.log(`database ${db.name}: seeded ${s.connections} connections, each with its own sealed token, in ${fmt((performance.now() - seeded) / 1000)} s`);

  // ---------------------------------------------------------------------- a. the seeds' strategy
  console.log(`\n== a. the seeds' strategy: one connection at a time, ${SEQUENTIAL_SLEEP_MS} ms sleep after each check (sample of ${s.sample}) ==`);
  const seq = await runChild("sequential", ["--worker", "sequential", "--sample", String(s.sample)], env, sim, stamp);
  if (seq.result.kind !== "sequential") throw new Error("the sequential worker reported a sweep");
  const perConnectionMs = seq.result.ms / seq.result.checked;
  const sequentialSeconds = (perConnectionMs * s.connections) / 1000;
  console.log(
    `${seq.result.checked} checked in ${fmt(seq.result.ms / 1000)} s = ${fmt(perConnectionMs)} ms per connection (check ${fmt(seq.result.checkMs / seq.result.checked)} ms + sleep ${SEQUENTIAL_SLEEP_MS} ms): ` +
      `${fmt(1000 / perConnectionMs)} checks/s; ${showCounts(seq.result.counts)}; Graph ${seq.sim.requests} requests, peak ${seq.sim.peakPerSecond} in a 1-second window`,
  );
  console.log(`extrapolated to ${s.connections} connections: ${fmt(sequentialSeconds, 0)} s (${fmt(sequentialSeconds / 60)} min)`);
  console.log(`cores: ${showCores(seq.result.cores)}`);

  // ------------------------------------------------------------------------------------ b. the job
  const runs: SweepRun[] = [];
  console.log(`\n== b. the job: runJob("whatsapp-health-check") until the sweep is done — concurrency ${s.concurrency}, cap ${s.rate}/s ==`);
  runs.push(await sweepRun(`sweep-c${s.concurrency}`, s.concurrency, s, env, db, sim, stamp));
  printSweep(runs[0]!, s);

  const fallback = Number(flags["fallback-concurrency"]);
  if (runs[0]!.meetsTime === false && fallback > 0 && fallback !== s.concurrency) {
    console.log(`\n== b2. concurrency ${s.concurrency} missed ${GOAL_JOB_SECONDS} s: the same sweep once more at concurrency ${fallback} (--fallback-concurrency), cap ${s.rate}/s ==`);
    runs.push(await sweepRun(`sweep-c${fallback}`, fallback, s, env, db, sim, stamp));
    printSweep(runs[1]!, s);
  }

  // ---------------------------------------------------------------------------------- c. goals
  console.log("\n== c. goals ==");
  for (const run of runs) {
    const tag = `concurrency ${run.concurrency}${run.concurrency === s.concurrency ? ` (${s.concurrencyFrom})` : " (--fallback-concurrency)"}`;
    console.log(
      `${verdict(run.meetsTime)}  the whole sweep of ${GOAL_CONNECTIONS} connections in ≤ ${GOAL_JOB_SECONDS} s of job time — ${tag}: ` +
        (run.meetsTime === null
          ? `${s.connections} connections in ${fmt(run.jobSeconds)} s (≈ ${fmt((run.jobSeconds * GOAL_CONNECTIONS) / Math.max(1, run.checked))} s for ${GOAL_CONNECTIONS} at this rate; not a 10,000 run)`
          : `${run.checked} in ${fmt(run.jobSeconds)} s`),
    );
    console.log(`${verdict(run.underCap)}  the simulator never saw more than the configured rate — ${tag}: peak ${run.child.sim.peakPerSecond} requests in 1 s, cap ${s.rate}/s`);
  }
  for (const run of runs.filter((r) => r.child.result.done && r.checked > 0)) {
    console.log(
      `ratio at concurrency ${run.concurrency}: the seeds' sequential strategy ≈ ${fmt(sequentialSeconds, 0)} s for ${s.connections} connections (extrapolated) ` +
        `vs the job's ${fmt(run.jobSeconds)} s: ${fmt(sequentialSeconds / run.jobSeconds)}× faster`,
    );
  }

  const file = writeResults("health-sweep", stamp, {
    at: new Date().toISOString(),
    machine: machineLine(),
    settings: s,
    sequential: { ...seq.result, perConnectionMs, extrapolatedSeconds: sequentialSeconds, sim: seq.sim },
    sweeps: runs,
  });
  console.log(`\nresults: ${file}`);
}

if (flags.worker) {
  try {
    await runWorker(flags.worker);
    process.exit(0);
  } catch (err) {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  }
} else {
  await runBench(orchestrate, { timeoutMs: 20 * 60_000 });
}
