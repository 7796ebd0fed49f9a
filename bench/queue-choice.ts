// npm run bench:queue-choice [-- --callers 50 --pool 10 --warmup 2 --duration 5 --rounds 2 --items 10000 --batch 200 --skip graphile,pglite,bouncer]
// Our queue engine (lib/queue/) against pg-boss and graphile-worker, on the facts that decide between them
// for the webhook inbox (see bench/README.md):
//   1. fit — what each needs before it can enqueue or dequeue (start(), timers, schema objects), and what
//      an invocation that finds nothing to do costs;
//   2. enqueue on the hot path — our one INSERT (the stored delivery IS the queue entry) against the same
//      INSERT plus the library's enqueue, sequentially and in one transaction: closed loop, ops/s, latency;
//   3. dequeue — N queued items drained in batches with a no-op handler: items/s and round trips per item;
//   4. the embedded PGlite (the app's default without DATABASE_URL);
//   5. a transaction-pooling PgBouncer (what serverless platforms put in front of PostgreSQL), if installed.
// It prints figures and never fails on a goal. The app's modules read DATABASE_URL at import, so they are
// imported after it is set; the "ours" runs on PGlite and through PgBouncer are child processes (this file
// with --worker) started with their own environment.
import { createHash, randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { PGlite } from "@electric-sql/pglite";
import pLimit from "p-limit";
import pg from "pg";
import { fromPglite, systemClock, type Clock, type Db, type PgBoss } from "pg-boss";
import { backendCores, backendTicks, type BackendTicks } from "@/bench/lib/backend-cpu";
import { RESULTS_DIR } from "@/bench/lib/bench-setup";
import { onCleanup, runBench } from "@/bench/lib/cleanup";
import { closedLoop, type ClosedLoopResult } from "@/bench/lib/closed-loop";
import { coresUsed, cpuSnapshot, type CpuSnapshot } from "@/bench/lib/cpu";
import { createBenchDatabase, type BenchDatabase } from "@/bench/lib/database";
import { startTransactionPooler, type Bouncer } from "@/bench/lib/pgbouncer";
import { pglitePoolShim } from "@/bench/lib/pglite-pool-shim";
import { runCommand } from "@/bench/lib/processes";
import {
  BOSS_MINIMAL,
  BOSS_SCHEMA,
  clientDb,
  describeObjects,
  GRAPHILE_SCHEMA,
  graphileAddJob,
  graphileAddJobs,
  graphileLogger,
  graphileRunOnce,
  INSERT_DELIVERY,
  INSERT_DELIVERY_AND_ADD_JOB,
  installGraphile,
  newBoss,
  poolDb,
  schemaObjects,
  type SchemaObjects,
} from "@/bench/lib/queue-candidates";
import { fmt, machineLine, writeResults } from "@/bench/lib/report";
import { countRoundTrips, roundTrips, withRoundTrips } from "@/bench/lib/round-trips";
import { applyMigrations, pgliteRunner } from "@/lib/db/apply-migrations";

const { values: flags } = parseArgs({
  options: {
    callers: { type: "string", default: "50" },
    pool: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    duration: { type: "string", default: "5" },
    rounds: { type: "string", default: "2" },
    items: { type: "string", default: "10000" },
    batch: { type: "string", default: "200" },
    skip: { type: "string", default: "" },
    "keep-db": { type: "boolean", default: false },
    // Internal: a child run of our engine (store then drain) against --url, or PGlite without it.
    worker: { type: "string" },
    url: { type: "string" },
    result: { type: "string" },
    count: { type: "string" },
  },
});

const SCRIPT = path.join("bench", "queue-choice.ts");
const CALLERS = Number(flags.callers);
const POOL = Number(flags.pool);
const WARMUP_MS = Number(flags.warmup) * 1000;
const DURATION_MS = Number(flags.duration) * 1000;
const ROUNDS = Number(flags.rounds);
const ITEMS = Number(flags.items);
const BATCH = Number(flags.batch);
const SKIP = new Set(flags.skip.split(",").map((s) => s.trim()).filter(Boolean));
/** The drain's bound on a batch's payload bytes (lib/webhooks/drain-inbox.ts). */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;
/** Items per check in the PGlite and PgBouncer parts (correctness, not throughput). */
const FIT_ITEMS = 2_000;

/** One line of an error; long lists of job ids (graphile-worker's messages) shortened. */
const msg = (err: unknown) =>
  (err instanceof Error ? err.message : String(err))
    .replace(/(?:'\d+', ){3,}(?:'\d+')?/g, "'…', ")
    .replace(/\s+/g, " ")
    .slice(0, 240);
const version = (pkg: string) => (JSON.parse(readFileSync(path.join("node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
const load = () => loadavg().map((l) => l.toFixed(2)).join(" ");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** A status delivery as Meta sends it (~700 bytes), unique per call. */
function delivery(): Buffer {
  const wamid = `wamid.${randomUUID().replace(/-/g, "")}`;
  return Buffer.from(
    JSON.stringify({
      object: "whatsapp_business_account",
      entry: [
        {
          id: "102290129340398",
          changes: [
            {
              field: "messages",
              value: {
                messaging_product: "whatsapp",
                metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
                statuses: [
                  {
                    id: wamid,
                    status: "delivered",
                    timestamp: String(Math.floor(Date.now() / 1000)),
                    recipient_id: "16505551234",
                    conversation: { id: randomUUID().replace(/-/g, ""), origin: { type: "utility" } },
                    pricing: { billable: true, pricing_model: "PMP", category: "utility", type: "regular" },
                  },
                ],
              },
            },
          ],
        },
      ],
    }),
  );
}

// ================================================================================ child: our engine

type OursRun = { stored: number; storeMs: number; drained: number; drainMs: number; roundTrips: number; left: number; errors: number; firstError: string | null };

/**
 * Our engine in a process of its own, whose environment decides the database: `--url` (PostgreSQL, e.g.
 * through PgBouncer) or none (the embedded PGlite in memory, the app's default). Stores `--count`
 * deliveries through the webhook's own insert, then drains them with two loops of the app's drain
 * (claim, no-op handler, settle).
 */
async function oursWorker(): Promise<void> {
  countRoundTrips();
  Object.assign(process.env, { NODE_ENV: "production", LOG_LEVEL: "warn", DATABASE_POOL_SIZE: String(POOL) });
  if (flags.url) process.env.DATABASE_URL = flags.url;
  else {
    delete process.env.DATABASE_URL;
    process.env.PGLITE_DATA_DIR = "memory://";
  }
  const { closeDatabase, queryRows } = await import("@/lib/db/client");
  const { prepareDatabase } = await import("@/lib/db/prepare-database");
  const { storeWebhookEvent } = await import("@/lib/webhooks/store-webhook-event");
  const { drainQueue } = await import("@/lib/queue/drain-queue");
  const { inboxQueue } = await import("@/lib/webhooks/inbox-queue");
  const out: OursRun = { stored: 0, storeMs: 0, drained: 0, drainMs: 0, roundTrips: 0, left: -1, errors: 0, firstError: null };
  const fail = (err: unknown) => {
    out.errors++;
    out.firstError ??= msg(err);
  };
  try {
    await prepareDatabase();
    const count = Number(flags.count ?? FIT_ITEMS);
    const limit = pLimit(CALLERS);
    let t = performance.now();
    await Promise.all(Array.from({ length: count }, () => limit(() => storeWebhookEvent(delivery()).then(() => void out.stored++, fail))));
    out.storeMs = performance.now() - t;
    t = performance.now();
    const before = roundTrips();
    const loops = await Promise.all(
      [1, 2].map(() =>
        drainQueue(inboxQueue, async (rows) => rows.map((r) => ({ id: r.id, kind: "done" as const })), { budgetMs: 120_000, batchSize: BATCH, maxBatchBytes: MAX_BATCH_BYTES }).catch(
          (err: unknown) => (fail(err), null),
        ),
      ),
    );
    out.drainMs = performance.now() - t;
    out.roundTrips = roundTrips() - before;
    out.drained = loops.reduce((a, s) => a + (s?.done ?? 0), 0);
    const [row] = await queryRows<{ n: number }>(`SELECT count(*)::int AS n FROM "WebhookEvent" WHERE state <> 'PROCESSED'`, []);
    out.left = row?.n ?? -1;
  } catch (err) {
    fail(err);
  } finally {
    await closeDatabase().catch(() => undefined);
  }
  writeFileSync(flags.result!, JSON.stringify(out));
}

async function runOursWorker(label: string, url: string | null): Promise<OursRun> {
  const result = path.join(tmpdir(), `queue-choice-${process.pid}-${label}.json`);
  const args = ["--import", "tsx", SCRIPT, "--worker", "ours", "--result", result, "--count", String(FIT_ITEMS), "--pool", String(POOL), "--batch", String(BATCH)];
  if (url) args.push("--url", url);
  const run = await runCommand(process.execPath, args, { env: process.env, timeoutMs: 180_000 });
  try {
    return JSON.parse(readFileSync(result, "utf8")) as OursRun;
  } catch {
    throw new Error(`our ${label} worker left no result (exit ${run.code}): ${(run.stderr || run.stdout).slice(-1500)}`);
  } finally {
    rmSync(result, { force: true });
  }
}

// ======================================================================================== 1. fit

/** pg-boss's clock with its timers counted: which intervals it arms is what it expects of a process. */
function countingClock(): { clock: Clock; intervals: number[]; live: () => number; pendingTimeouts: () => number[] } {
  const intervals: number[] = [];
  const handles = new Set<unknown>();
  const pending = new Map<unknown, number>();
  const clock: Clock = {
    now: () => systemClock.now(),
    setTimeout: (fn, ms) => {
      const h = systemClock.setTimeout(() => {
        pending.delete(h);
        fn();
      }, ms);
      pending.set(h, ms);
      return h;
    },
    clearTimeout: (h) => {
      pending.delete(h);
      systemClock.clearTimeout(h);
    },
    setInterval: (fn, ms) => {
      intervals.push(ms);
      const h = systemClock.setInterval(fn, ms);
      handles.add(h);
      return h;
    },
    clearInterval: (h) => {
      handles.delete(h);
      systemClock.clearInterval(h);
    },
  };
  return { clock, intervals, live: () => handles.size + pending.size, pendingTimeouts: () => [...pending.values()] };
}

type StartFact = { label: string; ms: number; roundTrips: number; intervals: number[]; timeouts: number[]; timersLeftAfterStop: number; stopMs: number };

async function bossStartFact(label: string, url: string, options: object, errors: string[]): Promise<StartFact> {
  const counted = countingClock();
  const boss = newBoss({ connectionString: url, clock: counted.clock, ...options }, (e) => errors.push(`${label}: ${e}`));
  const started = await withRoundTrips(() => boss.start());
  const timeouts = counted.pendingTimeouts();
  const stopped = await withRoundTrips(() => boss.stop({ graceful: false }));
  return { label, ms: started.ms, roundTrips: started.roundTrips, intervals: [...counted.intervals], timeouts, timersLeftAfterStop: counted.live(), stopMs: stopped.ms };
}

type FitFacts = {
  ours: { emptyInvocation: { ms: number; roundTrips: number } };
  boss: { sendBeforeStart: string; starts: StartFact[]; objects: SchemaObjects; emptyInvocation: { ms: number; roundTrips: number }; errors: string[] };
  graphile: { migrate: { ms: number; roundTrips: number }; objects: SchemaObjects; emptyInvocation: { ms: number; roundTrips: number }; warnings: string[] } | null;
};

async function fit(db: BenchDatabase, app: App): Promise<FitFacts> {
  console.log("\n== 1. fit: what each engine needs before it can enqueue or dequeue ==");
  // Ours: nothing to start. An invocation that finds nothing: one claim that returns no row.
  const empty = await withRoundTrips(() => app.drainQueue(app.inboxQueue, async () => [], { budgetMs: 1_000, batchSize: BATCH }));
  console.log(`ours: no start-up, no timers, no schema beyond "WebhookEvent"'s own queue columns. An invocation that finds nothing: ${empty.roundTrips} round trip(s), ${fmt(empty.ms)} ms`);

  const errors: string[] = [];
  let sendBeforeStart: string;
  try {
    const unstarted = newBoss({ connectionString: db.url }, (e) => errors.push(e));
    await unstarted.send("inbox", { eventId: "x" });
    sendBeforeStart = "accepted";
  } catch (err) {
    sendBeforeStart = `throws "${msg(err)}"`;
  }
  console.log(`pg-boss ${version("pg-boss")}: send() on an instance that was not start()ed ${sendBeforeStart}`);
  const starts: StartFact[] = [];
  starts.push(await bossStartFact("start() on an empty database (installs its schema), default options", db.url, {}, errors));
  const objects = await schemaObjects(db.pool, BOSS_SCHEMA);
  starts.push(await bossStartFact("start() again, default options", db.url, {}, errors));
  starts.push(await bossStartFact("start() again, supervise/schedule/migrate/registerInstance off", db.url, BOSS_MINIMAL, errors));
  const seconds = (list: number[]) => [...list].sort((a, b) => a - b).map((ms) => `${ms / 1000} s`).join(", ");
  for (const s of starts) {
    console.log(
      `  ${s.label}: ${fmt(s.ms)} ms, ${s.roundTrips} round trips; leaves ${s.intervals.length} interval(s)${s.intervals.length ? ` (every ${seconds(s.intervals)})` : ""}` +
        ` and ${s.timeouts.length} pending timeout(s)${s.timeouts.length ? ` (${seconds(s.timeouts)})` : ""} running; stop() ${fmt(s.stopMs)} ms${s.timersLeftAfterStop ? `, ${s.timersLeftAfterStop} timers left after it` : ""}`,
    );
  }
  console.log(`  its schema "${BOSS_SCHEMA}": ${describeObjects(objects)}`);
  const emptyBoss = await withRoundTrips(async () => {
    const boss = newBoss({ connectionString: db.url, ...BOSS_MINIMAL }, (e) => errors.push(e));
    await boss.start();
    await boss.createQueue("inbox");
    await boss.fetch("inbox", { batchSize: BATCH });
    await boss.stop({ graceful: false });
  });
  console.log(`  an invocation that finds nothing (new PgBoss → start() minimal → fetch() → stop()): ${emptyBoss.roundTrips} round trips, ${fmt(emptyBoss.ms)} ms`);

  let graphile: FitFacts["graphile"] = null;
  if (!SKIP.has("graphile")) {
    const warnings: string[] = [];
    const logger = graphileLogger((m) => warnings.push(m));
    const migrate = await withRoundTrips(() => installGraphile({ connectionString: db.url, logger }));
    const gwObjects = await schemaObjects(db.pool, GRAPHILE_SCHEMA);
    const emptyGw = await withRoundTrips(() => graphileRunOnce({ connectionString: db.url, logger }, { inbox: async () => undefined }));
    console.log(`graphile-worker ${version("graphile-worker")}: runMigrations() on an empty database ${fmt(migrate.ms)} ms, ${migrate.roundTrips} round trips`);
    console.log(`  its schema "${GRAPHILE_SCHEMA}": ${describeObjects(gwObjects)}`);
    console.log(`  an invocation that finds nothing (runOnce() with its own pool: checks migrations, looks for jobs, exits): ${emptyGw.roundTrips} round trips, ${fmt(emptyGw.ms)} ms`);
    graphile = { migrate: { ms: migrate.ms, roundTrips: migrate.roundTrips }, objects: gwObjects, emptyInvocation: { ms: emptyGw.ms, roundTrips: emptyGw.roundTrips }, warnings };
  }
  if (errors.length) console.log(`  pg-boss "error" events: ${errors.slice(0, 3).join(" | ")}`);
  return {
    ours: { emptyInvocation: { ms: empty.ms, roundTrips: empty.roundTrips } },
    boss: { sendBeforeStart, starts, objects, emptyInvocation: { ms: emptyBoss.ms, roundTrips: emptyBoss.roundTrips }, errors },
    graphile,
  };
}

// ================================================================================ CPU of a phase

type Cores = { dbBackends: number; postgresAll: number; bench: number; other: number };

async function cpuStart(db: BenchDatabase): Promise<{ cpu: CpuSnapshot; backends: BackendTicks }> {
  return { backends: await backendTicks(db.pool, db.name), cpu: cpuSnapshot() };
}

async function cpuEnd(db: BenchDatabase, start: { cpu: CpuSnapshot; backends: BackendTicks }): Promise<Cores> {
  const cpu = cpuSnapshot();
  const backends = await backendTicks(db.pool, db.name);
  const all = coresUsed(start.cpu, cpu, {});
  return { dbBackends: backendCores(start.backends, backends), postgresAll: all.postgres ?? 0, bench: all.bench ?? 0, other: all.other ?? 0 };
}

const showCores = (c: Cores) => `db backends ${fmt(c.dbBackends, 2)}, postgres (all) ${fmt(c.postgresAll, 2)}, bench ${fmt(c.bench, 2)}, other ${fmt(c.other, 2)}`;

// ================================================================================== 2. enqueue

type EnqueueWindow = { result: ClosedLoopResult; roundTripsPerCall: number; cores: Cores; load: string };
type EnqueueRow = { name: string; windows: EnqueueWindow[]; perSecond: number; roundTripsPerCall: number; p50: number; p99: number; dbCpuMsPerCall: number };

async function clearQueues(db: BenchDatabase, boss: PgBoss, graphile: boolean): Promise<void> {
  await db.pool.query(`TRUNCATE "WebhookEvent"`);
  await boss.deleteAllJobs();
  if (graphile) await db.pool.query(`DELETE FROM ${GRAPHILE_SCHEMA}._private_jobs`);
  await db.pool.query(`VACUUM ANALYZE`);
}

async function enqueueWindow(db: BenchDatabase, call: () => Promise<void>): Promise<EnqueueWindow> {
  let cpu0: Awaited<ReturnType<typeof cpuStart>> | null = null;
  let cores: Cores | null = null;
  let rt0 = 0;
  let rt1 = 0;
  const result = await closedLoop(call, {
    callers: CALLERS,
    warmupMs: WARMUP_MS,
    durationMs: DURATION_MS,
    onWindowStart: async () => {
      cpu0 = await cpuStart(db);
      rt0 = roundTrips();
    },
    onWindowEnd: async () => {
      rt1 = roundTrips();
      cores = await cpuEnd(db, cpu0!);
    },
  });
  return { result, roundTripsPerCall: result.calls ? (rt1 - rt0) / result.calls : 0, cores: cores!, load: load() };
}

async function enqueue(db: BenchDatabase, app: App, boss: PgBoss, hot: pg.Pool): Promise<EnqueueRow[]> {
  console.log(
    `\n== 2. enqueue on the hot path: ${CALLERS} callers in this process, pg.Pool of ${POOL}; ${ROUNDS} rounds (the second in reverse order) of ${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s per variant ==`,
  );
  console.log(`(one unique ~${delivery().length}-byte delivery per call; tables emptied and VACUUM ANALYZEd before each window; pg-boss's send() runs on the same pool through its \`db\` option)`);
  const hotDb: Db = poolDb(hot);
  const inTransaction = async (fn: (c: pg.PoolClient) => Promise<void>) => {
    const c = await hot.connect();
    try {
      await c.query("BEGIN");
      await fn(c);
      await c.query("COMMIT");
    } catch (err) {
      await c.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  };
  const insert = (q: pg.Pool | pg.PoolClient) => {
    const body = delivery();
    return q.query<{ id: string; deliveries: number }>(INSERT_DELIVERY, [body, sha256(body)]).then((r) => r.rows[0]!);
  };
  const variants: Array<{ name: string; call: () => Promise<void> }> = [
    { name: "ours: the INSERT (stored delivery = queue entry)", call: async () => void (await insert(hot)) },
    { name: "ours: storeWebhookEvent() itself (the app's pool)", call: async () => void (await app.storeWebhookEvent(delivery())) },
    { name: "control: the INSERT inside BEGIN … COMMIT", call: () => inTransaction(async (c) => void (await insert(c))) },
    {
      name: "pg-boss: INSERT, then send() (not atomic)",
      call: async () => {
        const row = await insert(hot);
        if (row.deliveries === 1) await boss.send("inbox", { eventId: row.id }, { db: hotDb });
      },
    },
    {
      name: "pg-boss: INSERT + send() in one transaction",
      call: () =>
        inTransaction(async (c) => {
          const row = await insert(c);
          if (row.deliveries === 1) await boss.send("inbox", { eventId: row.id }, { db: clientDb(c) });
        }),
    },
  ];
  if (!SKIP.has("graphile")) {
    variants.push(
      {
        name: "graphile-worker: INSERT + add_job() in one transaction",
        call: () =>
          inTransaction(async (c) => {
            const row = await insert(c);
            if (row.deliveries === 1) await c.query(graphileAddJob(), ["inbox", JSON.stringify({ eventId: row.id })]);
          }),
      },
      {
        name: "graphile-worker: INSERT → add_job() as one statement",
        call: async () => {
          const body = delivery();
          await hot.query(INSERT_DELIVERY_AND_ADD_JOB, [body, sha256(body)]);
        },
      },
    );
  }
  const windows = new Map<string, EnqueueWindow[]>(variants.map((v) => [v.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`  round ${round}:`);
    for (const v of round % 2 === 1 ? variants : [...variants].reverse()) {
      await clearQueues(db, boss, !SKIP.has("graphile"));
      const w = await enqueueWindow(db, v.call);
      windows.get(v.name)!.push(w);
      const l = w.result.latency;
      console.log(
        `    ${v.name.padEnd(56)} ${fmt(w.roundTripsPerCall).padStart(4)} rt/call  ${fmt(w.result.perSecond, 0).padStart(6)}/s  p50 ${fmt(l.p50).padStart(5)} ms  p99 ${fmt(l.p99).padStart(6)} ms  max ${fmt(l.max).padStart(6)} ms` +
          `${w.result.errors ? `  ${w.result.errors} errors (${w.result.firstError})` : ""}  | cores: ${showCores(w.cores)} | load ${w.load}`,
      );
    }
  }
  const rows = variants.map((v) => {
    const ws = windows.get(v.name)!;
    const mean = (f: (w: EnqueueWindow) => number) => ws.reduce((a, w) => a + f(w), 0) / ws.length;
    return {
      name: v.name,
      windows: ws,
      perSecond: mean((w) => w.result.perSecond),
      roundTripsPerCall: mean((w) => w.roundTripsPerCall),
      p50: mean((w) => w.result.latency.p50),
      p99: mean((w) => w.result.latency.p99),
      dbCpuMsPerCall: mean((w) => (w.result.perSecond ? (w.cores.dbBackends * 1000) / w.result.perSecond : 0)),
    };
  });
  const ours = rows[0]!.perSecond;
  console.log(`  mean over the rounds (deliveries/s; relative to "ours: the INSERT"; latency means of the rounds' percentiles; CPU of this database's backends per delivery):`);
  for (const r of rows) {
    const spread = r.windows.map((w) => fmt(w.result.perSecond, 0)).join(" / ");
    console.log(
      `    ${r.name.padEnd(56)} ${fmt(r.perSecond, 0).padStart(6)}/s (${spread})  ${fmt((r.perSecond / ours) * 100, 0).padStart(4)}%  p50 ${fmt(r.p50).padStart(5)} ms  p99 ${fmt(r.p99).padStart(6)} ms  ${fmt(r.roundTripsPerCall)} rt/call  ${fmt(r.dbCpuMsPerCall, 2)} ms db CPU/call`,
    );
  }
  return rows;
}

// ================================================================================== 3. dequeue

type DrainRow = { name: string; items: number; done: number; left: number; ms: number; perSecond: number; roundTrips: number; cores: Cores; load: string };

/** `n` stored deliveries (~640-byte bodies); due for our drain unless `due` is false. */
async function seedEvents(pool: pg.Pool, n: number, prefix: string, due: boolean): Promise<void> {
  await pool.query(
    `INSERT INTO "WebhookEvent" (id, "rawBody", "bodySha256", "signatureValid", state, "nextAttemptAt")
     SELECT $2::text || i, convert_to(repeat(md5($2::text || i), 20), 'UTF8'), encode(sha256(convert_to($2::text || i, 'UTF8')), 'hex'), true, 'PENDING',
            CASE WHEN $3::boolean THEN now() - interval '1 second' END
       FROM generate_series(1, $1::int) i`,
    [n, prefix, due],
  );
}

async function seedBossJobs(boss: PgBoss, queue: string, n: number, prefix: string): Promise<void> {
  for (let i = 0; i < n; i += 1_000) {
    const jobs = Array.from({ length: Math.min(1_000, n - i) }, (_, k) => ({ data: { eventId: `${prefix}${i + k + 1}` } }));
    await boss.insert(queue, jobs);
  }
}

/** A pool handed to graphile-worker, with the error listeners it asks for (else it warns on the console). */
function graphilePool(url: string, onError: (err: unknown) => void): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  pool.on("error", onError);
  pool.on("connect", (client) => client.on("error", onError));
  return pool;
}

/** Jobs of a pg-boss queue not yet completed (its getQueue() counts come from the monitor, off here). */
async function bossQueued(pool: pg.Pool, schema: string, queue: string): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.job WHERE name = $1 AND state IN ('created', 'retry', 'active')`, [queue]);
  return Number(rows[0]?.n ?? -1);
}

type DrainVariant = { name: string; note: string; seed: () => Promise<void>; drain: () => Promise<number>; left: () => Promise<number> };

async function timedDrain(db: BenchDatabase, v: DrainVariant): Promise<DrainRow> {
  await v.seed();
  await db.pool.query(`VACUUM ANALYZE`);
  const cpu0 = await cpuStart(db);
  const r = await withRoundTrips(v.drain);
  const cores = await cpuEnd(db, cpu0);
  const row: DrainRow = { name: v.name, items: ITEMS, done: r.result, left: await v.left(), ms: r.ms, perSecond: r.result / (r.ms / 1000), roundTrips: r.roundTrips, cores, load: load() };
  console.log(
    `    ${v.name.padEnd(60)} ${fmt(r.ms / 1000, 2).padStart(6)} s  ${fmt(row.perSecond, 0).padStart(6)} items/s  ${fmt(r.roundTrips / Math.max(1, r.result), 3).padStart(6)} rt/item (${r.roundTrips} in all)` +
      `  ${row.left ? `${row.left} LEFT` : "0 left"}  | cores: ${showCores(cores)} | load ${row.load}`,
  );
  return row;
}

async function dequeue(db: BenchDatabase, app: App, boss: PgBoss, hot: pg.Pool): Promise<DrainRow[]> {
  console.log(
    `\n== 3. dequeue: ${ITEMS} queued items drained in batches of ${BATCH}, no-op handler; ${ROUNDS} rounds (the second in reverse order); seeding not timed, VACUUM ANALYZE before each ==`,
  );
  const graphile = !SKIP.has("graphile");
  const notProcessed = async () => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM "WebhookEvent" WHERE state <> 'PROCESSED'`)).rows[0]?.n ?? -1);
  const noop = async (claimed: Array<{ id: string }>) => claimed.map((r) => ({ id: r.id, kind: "done" as const }));
  const loopsOf = (n: number) => `${n} loop${n > 1 ? "s" : ""}`;
  const sum = async (loops: number, one: () => Promise<number>) => (await Promise.all(Array.from({ length: loops }, one))).reduce((a, b) => a + b, 0);

  const bossLoop = async (inbox: boolean) => {
    let done = 0;
    for (;;) {
      const jobs = await boss.fetch<{ eventId: string }>("drain", { batchSize: BATCH });
      if (jobs.length === 0) return done;
      if (inbox) {
        // What the inbox handler would add: read the stored deliveries, then record their outcome.
        const ids = jobs.map((j) => j.data.eventId);
        await hot.query(`SELECT id, "rawBody", "receivedAt", progress, counts FROM "WebhookEvent" WHERE id = ANY($1::text[])`, [ids]);
        await hot.query(`UPDATE "WebhookEvent" SET state = 'PROCESSED', attempts = attempts + 1, "processedAt" = now(), "nextAttemptAt" = NULL WHERE id = ANY($1::text[])`, [ids]);
      }
      await boss.complete("drain", jobs.map((j) => ({ id: j.id, retryCount: j.retryCount })));
      done += jobs.length;
    }
  };

  // graphile-worker's pool outlives each run, so its backends are still there when the phase's CPU is read.
  const gwPool = graphilePool(db.url, () => undefined);
  onCleanup("graphile-worker pool", () => gwPool.end());
  const variants: DrainVariant[] = [];
  for (const loops of [1, 2]) {
    variants.push({
      name: `ours: drainQueue() (claim + settle), ${loopsOf(loops)}`,
      note: "the handler gets rawBody and the row's state columns",
      seed: () => seedEvents(db.pool, ITEMS, "q", true),
      drain: () => sum(loops, async () => (await app.drainQueue(app.inboxQueue, noop, { budgetMs: 600_000, batchSize: BATCH, maxBatchBytes: MAX_BATCH_BYTES })).done),
      left: notProcessed,
    });
  }
  for (const loops of [1, 2]) {
    variants.push({
      name: `pg-boss: fetch() + complete(), ${loopsOf(loops)}`,
      note: "the handler gets {eventId} only",
      seed: () => seedBossJobs(boss, "drain", ITEMS, "q"),
      drain: () => sum(loops, () => bossLoop(false)),
      left: () => bossQueued(db.pool, BOSS_SCHEMA, "drain"),
    });
  }
  for (const loops of [1, 2]) {
    variants.push({
      name: `pg-boss as the inbox: fetch+read rows+mark+complete, ${loopsOf(loops)}`,
      note: "what ours does: the rows read, their state written",
      seed: async () => {
        await seedEvents(db.pool, ITEMS, "q", false);
        await seedBossJobs(boss, "drain", ITEMS, "q");
      },
      drain: () => sum(loops, () => bossLoop(true)),
      left: () => bossQueued(db.pool, BOSS_SCHEMA, "drain"),
    });
  }
  if (graphile) {
    variants.push({
      name: `graphile-worker: runOnce(), local queue ${BATCH}, batched completes`,
      note: "the handler gets one job per call, {eventId} only",
      seed: async () => void (await db.pool.query(graphileAddJobs(), ["inbox", "q", ITEMS])),
      drain: async () => {
        let done = 0;
        await graphileRunOnce({ pgPool: gwPool, logger: graphileLogger((m) => console.log(`      graphile-worker ${m}`)), localQueueSize: BATCH, completeJobBatchDelay: 0 }, { inbox: async () => void done++ });
        return done;
      },
      left: async () => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${GRAPHILE_SCHEMA}._private_jobs`)).rows[0]?.n ?? -1),
    });
  }

  const runs = new Map<string, DrainRow[]>(variants.map((v) => [v.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`  round ${round}:`);
    for (const v of round % 2 === 1 ? variants : [...variants].reverse()) {
      await clearQueues(db, boss, graphile);
      runs.get(v.name)!.push(await timedDrain(db, v));
    }
  }
  const ours = runs.get(variants[0]!.name)!;
  const oursRate = ours.reduce((a, r) => a + r.perSecond, 0) / ours.length;
  console.log(`  mean over the rounds (items/s; relative to "ours, 1 loop"; CPU of this database's backends per item):`);
  const rows: DrainRow[] = [];
  for (const v of variants) {
    const rs = runs.get(v.name)!;
    const rate = rs.reduce((a, r) => a + r.perSecond, 0) / rs.length;
    const rt = rs.reduce((a, r) => a + r.roundTrips / Math.max(1, r.done), 0) / rs.length;
    const cpuUs = rs.reduce((a, r) => a + (r.cores.dbBackends * r.ms * 1000) / Math.max(1, r.done), 0) / rs.length;
    console.log(
      `    ${v.name.padEnd(60)} ${fmt(rate, 0).padStart(6)}/s (${rs.map((r) => fmt(r.perSecond, 0)).join(" / ")})  ${fmt((rate / oursRate) * 100, 0).padStart(4)}%  ${fmt(rt, 3)} rt/item  ${fmt(cpuUs, 0).padStart(4)} µs db CPU/item — ${v.note}`,
    );
    rows.push(...rs);
  }
  return rows;
}

// ================================================================================== 4. PGlite

type PgliteFacts = {
  boss: { ok: boolean; startMs: number; insertPerSecond: number; insertAndSendPerSecond: number; drained: number; error: string | null };
  graphile: { ok: boolean; ms: number; processed: number; error: string | null } | null;
  ours: OursRun | { error: string };
};

async function pgliteFacts(): Promise<PgliteFacts> {
  console.log(`\n== 4. the embedded PGlite (in memory; the app's default without DATABASE_URL), ${FIT_ITEMS} deliveries each ==`);
  let ours: PgliteFacts["ours"];
  try {
    ours = await runOursWorker("pglite", null);
    console.log(
      `  ours (child process, the app's own PGlite client): stored ${ours.stored} in ${fmt(ours.storeMs / 1000, 2)} s (${fmt(ours.stored / (ours.storeMs / 1000), 0)}/s), drained ${ours.drained} in ${fmt(ours.drainMs / 1000, 2)} s (${fmt(ours.drained / (ours.drainMs / 1000), 0)}/s), ${ours.left} left` +
        `${ours.errors ? `, ${ours.errors} errors (${ours.firstError})` : ""}`,
    );
  } catch (err) {
    ours = { error: msg(err) };
    console.log(`  ours: FAILED ${ours.error}`);
  }

  const boss: PgliteFacts["boss"] = { ok: false, startMs: 0, insertPerSecond: 0, insertAndSendPerSecond: 0, drained: 0, error: null };
  const lite = new PGlite();
  let instance: PgBoss | null = null;
  try {
    await applyMigrations(pgliteRunner(lite));
    instance = newBoss({ db: fromPglite(lite), backend: "pglite", supervise: false, schedule: false, registerInstance: false }, (e) => (boss.error ??= e));
    let t = performance.now();
    await instance.start();
    boss.startMs = performance.now() - t;
    await instance.createQueue("inbox");
    t = performance.now();
    for (let i = 0; i < FIT_ITEMS; i++) {
      const body = delivery();
      await lite.query(INSERT_DELIVERY, [body, sha256(body)]);
    }
    boss.insertPerSecond = FIT_ITEMS / ((performance.now() - t) / 1000);
    t = performance.now();
    const started = instance;
    for (let i = 0; i < FIT_ITEMS; i++) {
      await lite.transaction(async (tx) => {
        const body = delivery();
        const r = await tx.query<{ id: string }>(INSERT_DELIVERY, [body, sha256(body)]);
        await started.send("inbox", { eventId: r.rows[0]!.id }, { db: fromPglite(tx) });
      });
    }
    boss.insertAndSendPerSecond = FIT_ITEMS / ((performance.now() - t) / 1000);
    for (;;) {
      const jobs = await instance.fetch("inbox", { batchSize: BATCH });
      if (!jobs.length) break;
      await instance.complete("inbox", jobs.map((j) => j.id));
      boss.drained += jobs.length;
    }
    boss.ok = boss.drained === FIT_ITEMS && boss.error === null;
  } catch (err) {
    boss.error ??= msg(err);
  } finally {
    await instance?.stop({ graceful: false }).catch(() => undefined);
    await lite.close();
  }
  console.log(
    `  pg-boss (its fromPglite adapter, backend "pglite"): ${boss.ok ? "works" : "FAILED"} — start() ${fmt(boss.startMs)} ms; INSERT alone ${fmt(boss.insertPerSecond, 0)}/s; ` +
      `INSERT + send() in one PGlite transaction ${fmt(boss.insertAndSendPerSecond, 0)}/s; fetched+completed ${boss.drained}${boss.error ? `; error: ${boss.error}` : ""}`,
  );

  let graphile: PgliteFacts["graphile"] = null;
  if (!SKIP.has("graphile")) {
    graphile = { ok: false, ms: 0, processed: 0, error: null };
    const gwLite = new PGlite();
    const t = performance.now();
    try {
      const pool = pglitePoolShim(gwLite);
      const logger = graphileLogger(() => undefined);
      await installGraphile({ pgPool: pool, logger });
      await pool.query(graphileAddJobs(), ["inbox", "q", FIT_ITEMS]);
      const g = graphile;
      await graphileRunOnce({ pgPool: pool, logger, localQueueSize: BATCH, completeJobBatchDelay: 0 }, { inbox: async () => void g.processed++ });
      graphile.ok = graphile.processed === FIT_ITEMS;
    } catch (err) {
      graphile.error = msg(err);
    } finally {
      graphile.ms = performance.now() - t;
      await gwLite.close();
    }
    console.log(
      `  graphile-worker: ships no PGlite adapter (connectionString or pg.Pool only); with the bench's pool-of-one shim (bench/lib/pglite-pool-shim.ts): ` +
        `${graphile.ok ? "works" : "FAILED"} — migrate + ${FIT_ITEMS} add_job + runOnce ${fmt(graphile.ms / 1000, 2)} s, ${graphile.processed} processed${graphile.error ? `; error: ${graphile.error}` : ""}`,
    );
  }
  return { boss, graphile, ours };
}

// ================================================================================ 5. PgBouncer

type BouncerCheck = { name: string; ok: boolean; enqueued: number; processed: number; left: number; errors: number; firstError: string | null; ms: number };

async function throughBouncer(db: BenchDatabase, bouncer: Bouncer): Promise<BouncerCheck[]> {
  const url = bouncer.urlFor(db.url);
  console.log(`\n== 5. through PgBouncer, pool_mode = transaction, ${POOL} server connections (${bouncer.version}); ${FIT_ITEMS} items, ${CALLERS} concurrent enqueuers, 2 drain loops ==`);
  const checks: BouncerCheck[] = [];
  const show = (c: BouncerCheck) =>
    console.log(
      `  ${c.name.padEnd(62)} ${c.ok ? "works " : "FAILED"}  enqueued ${c.enqueued}, processed ${c.processed}, ${c.left} left, ${c.errors} errors${c.firstError ? ` (first: ${c.firstError})` : ""}, ${fmt(c.ms / 1000, 1)} s`,
    );

  // Ours, in a child process whose DATABASE_URL is the bouncer's.
  const t0 = performance.now();
  try {
    const o = await runOursWorker("pgbouncer", url);
    checks.push({ name: "ours (store + drainQueue)", ok: o.errors === 0 && o.left === 0 && o.drained === FIT_ITEMS, enqueued: o.stored, processed: o.drained, left: o.left, errors: o.errors, firstError: o.firstError, ms: performance.now() - t0 });
  } catch (err) {
    checks.push({ name: "ours (store + drainQueue)", ok: false, enqueued: 0, processed: 0, left: -1, errors: 1, firstError: msg(err), ms: performance.now() - t0 });
  }
  show(checks.at(-1)!);

  // pg-boss with its defaults (schema install, supervision, scheduling, instance registry) on its own pool.
  {
    const c: BouncerCheck = { name: "pg-boss, default options (own pool of 10, no LISTEN)", ok: false, enqueued: 0, processed: 0, left: -1, errors: 0, firstError: null, ms: 0 };
    const fail = (e: unknown) => {
      c.errors++;
      c.firstError ??= msg(e);
    };
    const t = performance.now();
    const boss = newBoss({ connectionString: url, schema: "pgboss_bouncer", max: POOL }, fail);
    try {
      await boss.start();
      await boss.createQueue("inbox");
      const limit = pLimit(CALLERS);
      await Promise.all(Array.from({ length: FIT_ITEMS }, (_, i) => limit(() => boss.send("inbox", { eventId: `b${i}` }).then(() => void c.enqueued++, fail))));
      const loop = async () => {
        for (;;) {
          const jobs = await boss.fetch("inbox", { batchSize: BATCH });
          if (!jobs.length) return;
          await boss.complete("inbox", jobs.map((j) => ({ id: j.id, retryCount: j.retryCount })));
          c.processed += jobs.length;
        }
      };
      await Promise.all([loop().catch(fail), loop().catch(fail)]);
      c.left = await bossQueued(db.pool, "pgboss_bouncer", "inbox");
    } catch (err) {
      fail(err);
    } finally {
      await boss.stop({ graceful: false }).catch(fail);
    }
    c.ms = performance.now() - t;
    c.ok = c.errors === 0 && c.left === 0 && c.processed === FIT_ITEMS;
    checks.push(c);
    show(c);
  }

  if (!SKIP.has("graphile")) {
    // Named prepared statements through transaction pooling fail or not depending on which server
    // connection each query lands on: one clean run proves nothing, so the default gets three.
    for (const [prepared, attempt] of [[true, 1], [true, 2], [true, 3], [false, 1]] as const) {
      const schema = prepared ? `gw_bouncer_prepared_${attempt}` : "gw_bouncer_plain";
      const c: BouncerCheck = { name: `graphile-worker, preparedStatements ${prepared ? `on (its default), run ${attempt}` : "off"}`, ok: false, enqueued: 0, processed: 0, left: -1, errors: 0, firstError: null, ms: 0 };
      const fail = (e: unknown) => {
        c.errors++;
        c.firstError ??= msg(e);
      };
      const t = performance.now();
      const pool = graphilePool(url, fail);
      try {
        const logger = graphileLogger((m) => (m.startsWith("error") ? fail(m) : undefined));
        const o = { schema, pgPool: pool, logger, noPreparedStatements: !prepared, localQueueSize: BATCH, completeJobBatchDelay: 0 };
        await installGraphile(o);
        const limit = pLimit(CALLERS);
        await Promise.all(Array.from({ length: FIT_ITEMS }, (_, i) => limit(() => pool.query(graphileAddJob(schema), ["inbox", JSON.stringify({ eventId: `b${i}` })]).then(() => void c.enqueued++, fail))));
        // A runOnce that cannot settle its jobs must not hang the bench.
        await Promise.race([
          graphileRunOnce(o, { inbox: async () => void c.processed++ }),
          new Promise((_, reject) => setTimeout(() => reject(new Error("runOnce did not finish in 30 s")), 30_000).unref()),
        ]);
      } catch (err) {
        fail(err);
      } finally {
        c.left = Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}._private_jobs`).catch(() => null))?.rows[0]?.n ?? -1);
        await pool.end().catch(() => undefined);
      }
      c.ms = performance.now() - t;
      c.ok = c.errors === 0 && c.left === 0 && c.processed === FIT_ITEMS;
      checks.push(c);
      show(c);
    }
  }
  return checks;
}

// ======================================================================================== main

type App = {
  storeWebhookEvent: typeof import("@/lib/webhooks/store-webhook-event").storeWebhookEvent;
  drainQueue: typeof import("@/lib/queue/drain-queue").drainQueue;
  inboxQueue: typeof import("@/lib/webhooks/inbox-queue").inboxQueue;
};

async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  mkdirSync(RESULTS_DIR, { recursive: true });
  countRoundTrips();
  console.log(machineLine());
  console.log(
    `settings: enqueue ${CALLERS} callers / pool ${POOL} / ${ROUNDS} × (${WARMUP_MS / 1000}+${DURATION_MS / 1000} s) per variant; dequeue ${ITEMS} items, batches of ${BATCH}; ` +
      `pg-boss ${version("pg-boss")}, graphile-worker ${SKIP.has("graphile") ? "skipped" : version("graphile-worker")}, node ${process.version}; ` +
      `the INSERT is one delivery's row, as the app stores a delivery that arrives alone`,
  );

  const db = await createBenchDatabase({ keep: flags["keep-db"] });
  Object.assign(process.env, { NODE_ENV: "production", DATABASE_URL: db.url, DATABASE_POOL_SIZE: String(POOL), LOG_LEVEL: "warn" });
  const { closeDatabase } = await import("@/lib/db/client");
  onCleanup("app database client", () => closeDatabase());
  const app: App = {
    storeWebhookEvent: (await import("@/lib/webhooks/store-webhook-event")).storeWebhookEvent,
    drainQueue: (await import("@/lib/queue/drain-queue")).drainQueue,
    inboxQueue: (await import("@/lib/webhooks/inbox-queue")).inboxQueue,
  };

  const fitFacts = await fit(db, app);

  // One started pg-boss (minimal: what a serverless function would run) for the enqueue and dequeue parts.
  const bossErrors: string[] = [];
  const boss = newBoss({ connectionString: db.url, max: POOL, ...BOSS_MINIMAL }, (e) => bossErrors.push(e));
  await boss.start();
  onCleanup("pg-boss", () => boss.stop({ graceful: false }));
  await boss.createQueue("inbox");
  await boss.createQueue("drain");
  const hot = new pg.Pool({ connectionString: db.url, max: POOL });
  hot.on("error", () => undefined);
  onCleanup("bench hot pool", () => hot.end());

  const enqueueRows = await enqueue(db, app, boss, hot);
  const drainRows = await dequeue(db, app, boss, hot);
  if (bossErrors.length) console.log(`pg-boss "error" events: ${bossErrors.length} (first: ${bossErrors[0]})`);

  const pglite = SKIP.has("pglite") ? null : await pgliteFacts();

  let bouncer: BouncerCheck[] | null = null;
  if (!SKIP.has("bouncer")) {
    const pooler = await startTransactionPooler({ poolSize: POOL, logFile: path.join(RESULTS_DIR, `queue-choice-${stamp}-pgbouncer.log`) });
    if (!pooler) console.log("\n== 5. PgBouncer: skipped (not installed: apt-get install pgbouncer) ==");
    else {
      bouncer = await throughBouncer(db, pooler);
      await pooler.stop();
    }
  }

  console.log(`\n${machineLine()}`);
  const file = writeResults("queue-choice", stamp, {
    at: new Date().toISOString(),
    machine: machineLine(),
    settings: { callers: CALLERS, pool: POOL, warmupMs: WARMUP_MS, durationMs: DURATION_MS, rounds: ROUNDS, items: ITEMS, batch: BATCH, pgBoss: version("pg-boss"), graphileWorker: SKIP.has("graphile") ? null : version("graphile-worker") },
    fit: fitFacts,
    enqueue: enqueueRows,
    dequeue: drainRows,
    pglite,
    bouncer,
    bossErrors,
  });
  console.log(`results: ${file}`);
}

if (flags.worker === "ours") await oursWorker();
else await runBench(main, { timeoutMs: 20 * 60_000 });
