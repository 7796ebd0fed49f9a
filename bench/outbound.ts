// npm run bench:outbound [-- --sends 10000 --recipients 20 --pair-recipients 200 --pair-sends 5 …]
// The outbox against `next start` and the Graph simulator (see bench/README.md):
//   a. rate: `--sends` sends queued through POST /api/v1/messages for one number at its default 80/s, to
//      `--recipients` customers with the pair rate lifted (pairIntervalMs 0): achieved rate, the most sends the
//      simulator saw in any second, lost, duplicates;
//   b. pair rate: `--pair-recipients` customers × `--pair-sends` each at the default pair rate (one per 6 s per
//      recipient): the ceiling is then min(80, recipients / 6 s); the same figures, and the shortest gap
//      between two sends to one recipient;
//   c. isolation: the first workspace sends at `--isolation-rate`/s for `--isolation-seconds`, alone and then
//      beside a second workspace whose token Graph answers with 190 (its number reset to ACTIVE each time), in
//      `--isolation-rounds` alternating pairs so drift on the machine falls on both: the first's pooled
//      enqueue → Graph-accepted p99.
// Nothing but the app drains: no job, no worker. Results also go to bench/results/outbound-<time>.json.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import type pg from "pg";
import { setUpBench, type BenchSetup } from "@/bench/lib/bench-setup";
import { onCleanup, runBench } from "@/bench/lib/cleanup";
import { seedCustomers, type Customer } from "@/bench/lib/database";
import { keepAliveAgent, runOpenLoop, send, targetOf } from "@/bench/lib/http-load";
import { summarize, type LatencySummary } from "@/bench/lib/percentiles";
import { freePort, spawnGroup } from "@/bench/lib/processes";
import { fmt, machineLine, verdict, writeResults } from "@/bench/lib/report";
import { waitForOk, type RunningServer } from "@/bench/lib/start-server";
import type { PreparedRequest } from "@/bench/lib/traffic";
import { generateApiKey } from "@/lib/api-keys/api-key-secret";
import { connectGraphSimulator, type RemoteSimulatorControl } from "@/sim/graph-control-client";
import type { SentMessage } from "@/sim/graph-state";

const { values: flags } = parseArgs({
  options: {
    sends: { type: "string", default: "10000" },
    recipients: { type: "string", default: "20" },
    "pair-recipients": { type: "string", default: "200" },
    "pair-sends": { type: "string", default: "5" },
    "isolation-rate": { type: "string", default: "40" },
    "isolation-seconds": { type: "string", default: "20" },
    "isolation-rounds": { type: "string", default: "2" },
    rate: { type: "string", default: "80" },
    latency: { type: "string", default: "50" },
    "enqueue-clients": { type: "string", default: "32" },
    skip: { type: "string", default: "" },
    build: { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
  },
});

const RATE = Number(flags.rate);
const PAIR_INTERVAL_MS = 6_000; // the schema's default, Meta's pair rate
const SKIP = new Set(flags.skip.split(",").filter(Boolean));
const MESSAGES_PATH = "/api/v1/messages";

type Tenant = { workspaceId: string; connectionId: string; phoneNumberId: string; apiKey: string; customers: Customer[] };

type RunFigures = {
  name: string;
  queued: number;
  accepted: number;
  sent: number;
  lost: number;
  duplicates: number;
  notSent: Record<string, number>;
  ceilingPerSecond: number;
  achievedPerSecond: number;
  /** From the moment the last send was queued: what the pacing achieves once the API intake is over. */
  afterQueuedPerSecond: number;
  sentWhileQueueing: number;
  queueingSeconds: number;
  maxInAnySecond: number;
  busiestWindow: { atSeconds: number; duringIntake: boolean };
  maxInCalendarSecond: number;
  minPairGapMs: number | null;
  /** Sends per calendar second, from the first send's second to the last's. */
  series: number[];
  enqueueToSentMs: LatencySummary;
  seconds: number;
};

// ------------------------------------------------------------------------------------------- set-up

let sim: RemoteSimulatorControl;

/** `npm run sim -- serve` in its own process group; the app (and the CLI) are pointed at it. */
async function startSimulatorProcess(setup: BenchSetup): Promise<RemoteSimulatorControl> {
  const port = await freePort();
  const group = spawnGroup(process.execPath, ["--import", "tsx", path.join("sim", "cli.ts"), "serve", "--port", String(port), "--host", "127.0.0.1", "--latency", flags.latency], {
    env: setup.env,
    logFile: setup.logFile("simulator"),
  });
  onCleanup(`simulator (pid ${group.pid})`, () => group.stop());
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/__sim/stats`, 30_000, group.exited);
  setup.env.GRAPH_API_BASE_URL = url;
  return connectGraphSimulator(url);
}

async function createTenant(setup: BenchSetup, label: string, customers: number, token: string): Promise<Tenant> {
  const slug = `bench-${label}-${process.pid}`;
  const workspace = (await setup.cli(["workspace:create", "--name", `Bench ${label} ${process.pid}`, "--slug", slug])) as { id: string };
  const phoneNumberId = String(100_000_000_000_000 + Math.floor(Math.random() * 800_000_000_000_000));
  const connection = (await setup.cli(
    ["connection:create", "--workspace", slug, "--waba-id", `${phoneNumberId}9`, "--phone-number-id", phoneNumberId, "--display-phone-number", "15550100200", "--token-env", "BENCH_GRAPH_TOKEN"],
    { BENCH_GRAPH_TOKEN: token },
  )) as { id: string };
  const ids = { workspaceId: workspace.id, connectionId: connection.id };
  const waIds = Array.from({ length: customers }, (_, i) => `97250${label === "a" ? 1 : 2}${String(i).padStart(6, "0")}`);
  const seeded = await seedCustomers(setup.db.pool, ids, waIds, `bench_${label}`);
  return { ...ids, phoneNumberId, apiKey: await insertApiKey(setup.db.pool, workspace.id), customers: seeded };
}

/** A workspace API key, stored as the app stores one (its hash). */
async function insertApiKey(pool: pg.Pool, workspaceId: string): Promise<string> {
  const key = generateApiKey();
  await pool.query(`INSERT INTO "ApiKey" (id, "workspaceId", name, prefix, "keyHash") VALUES ($1, $2, 'bench', $3, $4)`, [
    `bench_key_${randomBytes(6).toString("hex")}`,
    workspaceId,
    key.prefix,
    key.keyHash,
  ]);
  return key.key;
}

/** The customers wrote to the business a minute ago: their 24-hour windows are open. */
async function openWindows(pool: pg.Pool, workspaceId: string): Promise<void> {
  await pool.query(
    `UPDATE "Conversation" SET "lastInboundAt" = now() - interval '1 minute', "windowExpiresAt" = now() + interval '23 hours' WHERE "workspaceId" = $1`,
    [workspaceId],
  );
}

async function configure(pool: pg.Pool, connectionId: string, rate: number, pairIntervalMs: number): Promise<void> {
  await pool.query(`UPDATE "WhatsAppConnection" SET "sendRatePerSecond" = $2, "pairIntervalMs" = $3 WHERE id = $1`, [connectionId, rate, pairIntervalMs]);
}

function sendRequest(tenant: Tenant, to: string, text: string): PreparedRequest {
  const body = Buffer.from(JSON.stringify({ connectionId: tenant.connectionId, to, type: "text", text: { body: text } }));
  return {
    method: "POST",
    path: MESSAGES_PATH,
    headers: { "content-type": "application/json", "content-length": body.length, authorization: `Bearer ${tenant.apiKey}`, "idempotency-key": text },
    body,
  };
}

// ------------------------------------------------------------------------------------------ running

/** Queues every request as fast as `clients` keep-alive connections allow; returns how many got 202. */
async function enqueueAll(server: RunningServer, requests: PreparedRequest[], clients: number): Promise<{ accepted: number; statuses: Record<string, number> }> {
  const agent = keepAliveAgent(clients);
  const statuses: Record<string, number> = {};
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < requests.length) {
        const req = requests[next++]!;
        const { status, error } = await send(targetOf(server.url), agent, req, 30_000);
        const key = status ? String(status) : (error ?? "no answer");
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
    }),
  );
  agent.destroy();
  return { accepted: statuses["202"] ?? 0, statuses };
}

/** Waits until no send of the run is QUEUED or SENDING (or the limit passes); returns the final states. */
async function waitForOutbox(pool: pg.Pool, prefix: string, limitMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const { rows } = await pool.query<{ state: string; n: string }>(
      `SELECT state::text, count(*) AS n FROM "OutboundMessage" WHERE "idempotencyKey" LIKE $1 GROUP BY state`,
      [`${prefix}%`],
    );
    const states = Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    if (!states.QUEUED && !states.SENDING) return states;
    if (Date.now() > deadline) return states;
    await sleep(500);
  }
}

async function enqueueToSent(pool: pg.Pool, prefix: string): Promise<number[]> {
  const { rows } = await pool.query<{ ms: number }>(
    `SELECT extract(epoch FROM ("sentAt" - "createdAt")) * 1000 AS ms FROM "OutboundMessage" WHERE "idempotencyKey" LIKE $1 AND "sentAt" IS NOT NULL`,
    [`${prefix}%`],
  );
  return rows.map((r) => Number(r.ms));
}

/** What the simulator saw of one run: sends whose text starts with `prefix`. */
function simulatorFigures(sent: SentMessage[], prefix: string, pairLimited: boolean, queuedAt: number) {
  const mine = sent.filter((m) => typeof m.text === "string" && m.text.startsWith(prefix)).sort((a, b) => a.time - b.time);
  const distinct = new Set(mine.map((m) => m.text));
  const times = mine.map((m) => m.time);
  let maxInAnySecond = 0;
  let busiestAt = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 1_000) j++;
    if (i - j + 1 > maxInAnySecond) [maxInAnySecond, busiestAt] = [i - j + 1, times[j]!];
  }
  const perCalendarSecond = new Map<number, number>();
  for (const t of times) perCalendarSecond.set(Math.floor(t / 1_000), (perCalendarSecond.get(Math.floor(t / 1_000)) ?? 0) + 1);
  let minPairGapMs: number | null = null;
  if (pairLimited) {
    const last = new Map<string, number>();
    for (const m of mine) {
      const before = last.get(m.to);
      if (before !== undefined) minPairGapMs = Math.min(minPairGapMs ?? Infinity, m.time - before);
      last.set(m.to, m.time);
    }
  }
  const spanS = times.length > 1 ? (times.at(-1)! - times[0]!) / 1_000 : 0;
  // Once every send is queued, the app only sends: its rate from then on is the pacing's own.
  const later = times.filter((t) => t >= queuedAt);
  const laterSpanS = later.length > 1 ? (later.at(-1)! - later[0]!) / 1_000 : 0;
  const firstSecond = times.length ? Math.floor(times[0]! / 1_000) : 0;
  const series = times.length ? Array.from({ length: Math.floor(times.at(-1)! / 1_000) - firstSecond + 1 }, (_, i) => perCalendarSecond.get(firstSecond + i) ?? 0) : [];
  return {
    series,
    sent: mine.length,
    distinct: distinct.size,
    // n sends span n − 1 intervals.
    achievedPerSecond: spanS > 0 ? (mine.length - 1) / spanS : 0,
    afterQueuedPerSecond: laterSpanS > 0 ? (later.length - 1) / laterSpanS : 0,
    sentWhileQueueing: mine.length - later.length,
    maxInAnySecond,
    // Seconds from the first send to the start of the busiest window, and whether POSTs were still arriving.
    busiestWindow: { atSeconds: times.length ? (busiestAt - times[0]!) / 1_000 : 0, duringIntake: busiestAt < queuedAt },
    maxInCalendarSecond: Math.max(0, ...perCalendarSecond.values()),
    minPairGapMs,
    seconds: spanS,
  };
}

async function queuedRun(
  setup: BenchSetup,
  server: RunningServer,
  o: { name: string; tenant: Tenant; recipients: number; perRecipient: number; pairIntervalMs: number },
): Promise<RunFigures> {
  const prefix = `bench-${o.name}-${randomBytes(3).toString("hex")}-`;
  await configure(setup.db.pool, o.tenant.connectionId, RATE, o.pairIntervalMs);
  const customers = o.tenant.customers.slice(0, o.recipients);
  const requests: PreparedRequest[] = [];
  // Round-robin over recipients, as a campaign would queue them.
  for (let k = 0; k < o.perRecipient; k++) for (const c of customers) requests.push(sendRequest(o.tenant, c.waId, `${prefix}${requests.length}`));
  const ceiling = o.pairIntervalMs > 0 ? Math.min(RATE, (customers.length * 1_000) / o.pairIntervalMs) : RATE;
  console.log(`  queueing ${requests.length} sends to ${customers.length} recipients (ceiling ${fmt(ceiling)}/s)…`);
  const before = (await sim.sentMessages()).length;
  const queueStart = Date.now();
  const enqueue = await enqueueAll(server, requests, Number(flags["enqueue-clients"]));
  const queuedAt = Date.now();
  const limitMs = (requests.length / ceiling) * 1_000 * 2 + 60_000;
  const states = await waitForOutbox(setup.db.pool, prefix, limitMs);
  const seen = simulatorFigures((await sim.sentMessages()).slice(before), prefix, o.pairIntervalMs > 0, queuedAt);
  const notSent = Object.fromEntries(Object.entries(states).filter(([s]) => s !== "SENT"));
  return {
    name: o.name,
    queued: requests.length,
    accepted: enqueue.accepted,
    sent: states.SENT ?? 0,
    lost: requests.length - seen.distinct,
    duplicates: seen.sent - seen.distinct,
    notSent: { ...notSent, ...(enqueue.accepted < requests.length ? { enqueueRefused: requests.length - enqueue.accepted } : {}) },
    ceilingPerSecond: ceiling,
    achievedPerSecond: seen.achievedPerSecond,
    afterQueuedPerSecond: seen.afterQueuedPerSecond,
    sentWhileQueueing: seen.sentWhileQueueing,
    queueingSeconds: (queuedAt - queueStart) / 1_000,
    maxInAnySecond: seen.maxInAnySecond,
    busiestWindow: seen.busiestWindow,
    maxInCalendarSecond: seen.maxInCalendarSecond,
    minPairGapMs: seen.minPairGapMs,
    series: seen.series,
    enqueueToSentMs: summarize(await enqueueToSent(setup.db.pool, prefix)),
    seconds: seen.seconds,
  };
}

/** The first tenant sends at a steady rate (optionally beside a second one): its enqueue → sent latencies. */
async function steadyRun(setup: BenchSetup, server: RunningServer, name: string, tenants: Tenant[]): Promise<{ ms: number[]; sent: number }> {
  const rate = Number(flags["isolation-rate"]);
  const count = rate * Number(flags["isolation-seconds"]);
  const prefixes = tenants.map((t, i) => `bench-${name}-${i}-${randomBytes(3).toString("hex")}-`);
  await Promise.all(
    tenants.map(async (tenant, i) => {
      await configure(setup.db.pool, tenant.connectionId, RATE, 0);
      const requests = Array.from({ length: count }, (_, n) => sendRequest(tenant, tenant.customers[n % tenant.customers.length]!.waId, `${prefixes[i]}${n}`));
      const agent = keepAliveAgent(64);
      await runOpenLoop({ target: targetOf(server.url), agent, requests, rate, timeoutMs: 30_000 });
      agent.destroy();
    }),
  );
  const states = await waitForOutbox(setup.db.pool, prefixes[0]!, 120_000);
  return { ms: await enqueueToSent(setup.db.pool, prefixes[0]!), sent: states.SENT ?? 0 };
}

/** The broken tenant as it was before its token met the 190: ACTIVE, so its sends are queued and meet it again. */
async function reactivate(pool: pg.Pool, connectionId: string): Promise<void> {
  await pool.query(`UPDATE "WhatsAppConnection" SET status = 'ACTIVE' WHERE id = $1`, [connectionId]);
  await pool.query(`UPDATE "AccessToken" SET "isValid" = true, "invalidReason" = NULL WHERE id = (SELECT "tokenId" FROM "WhatsAppConnection" WHERE id = $1)`, [connectionId]);
}

function printRun(r: RunFigures): void {
  console.log(
    `  ${r.name}: ${r.sent}/${r.queued} SENT in ${fmt(r.seconds)} s — achieved ${fmt(r.achievedPerSecond)}/s of a ${fmt(r.ceilingPerSecond)}/s ceiling ` +
      `(${fmt((100 * r.achievedPerSecond) / r.ceilingPerSecond)}%); most in any 1 s window ${r.maxInAnySecond} ` +
      `(from +${fmt(r.busiestWindow.atSeconds)} s, ${r.busiestWindow.duringIntake ? "while POSTs were arriving" : "after the intake"}), in a calendar second ${r.maxInCalendarSecond}; ` +
      `lost ${r.lost}, duplicates ${r.duplicates}` +
      (r.minPairGapMs !== null ? `; shortest gap to one recipient ${fmt(r.minPairGapMs, 0)} ms` : "") +
      (Object.keys(r.notSent).length ? `; not sent: ${JSON.stringify(r.notSent)}` : ""),
  );
  console.log(
    `     queueing took ${fmt(r.queueingSeconds)} s (${fmt(r.queued / r.queueingSeconds, 0)} POST/s), ${r.sentWhileQueueing} sent meanwhile; ` +
      `from the last POST on: ${fmt(r.afterQueuedPerSecond)}/s (${fmt((100 * r.afterQueuedPerSecond) / r.ceilingPerSecond)}% of the ceiling)`,
  );
  console.log(`     sends per second: ${r.series.join(" ")}`);
  console.log(`     enqueue → Graph accepted: p50 ${fmt(r.enqueueToSentMs.p50 / 1000)} s, p99 ${fmt(r.enqueueToSentMs.p99 / 1000)} s, max ${fmt(r.enqueueToSentMs.max / 1000)} s`);
}

/**
 * ≥ 90% of the ceiling once the sends are queued (the "10,000 queued sends"; the rate while the same
 * process also takes the POSTs is printed beside it), never more than the number's rate in any sliding second
 * where Graph counts, nothing lost or sent twice, and (pair run) no recipient sooner than its interval.
 */
function runGoal(r: RunFigures): boolean {
  return r.afterQueuedPerSecond >= 0.9 * r.ceilingPerSecond && r.maxInAnySecond <= RATE && r.lost === 0 && r.duplicates === 0 && (r.minPairGapMs ?? Infinity) >= PAIR_INTERVAL_MS;
}

// ------------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
  console.log(machineLine());
  const setup = await setUpBench({ name: "outbound", keepDb: flags["keep-db"], build: flags.build, customers: 1 });
  // The simulator in its own process: arrivals are stamped when they arrive, not when a bench process busy
  // with thousands of POSTs gets round to them.
  sim = await startSimulatorProcess(setup);
  const customers = Math.max(Number(flags.recipients), Number(flags["pair-recipients"]));
  const a = await createTenant(setup, "a", customers, `EAAB${randomBytes(24).toString("hex")}`);
  const brokenToken = `EAAB${randomBytes(24).toString("hex")}`;
  const b = await createTenant(setup, "b", 20, brokenToken);
  await openWindows(setup.db.pool, a.workspaceId);
  await openWindows(setup.db.pool, b.workspaceId);
  const server = await setup.startServer("next");
  console.log(`database ${setup.db.name}, ${setup.build}, next start on ${server.url}; simulator latency ${flags.latency} ms; number rate ${RATE}/s`);

  // Warm-up (not reported): loads the routes and fills the pools.
  await queuedRun(setup, server, { name: "warmup", tenant: a, recipients: 10, perRecipient: 5, pairIntervalMs: 0 });

  const runs: RunFigures[] = [];
  if (!SKIP.has("rate")) {
    console.log(`\n== a. ${flags.sends} sends, ${flags.recipients} recipients, pair rate lifted ==`);
    const perRecipient = Math.ceil(Number(flags.sends) / Number(flags.recipients));
    runs.push(await queuedRun(setup, server, { name: "rate", tenant: a, recipients: Number(flags.recipients), perRecipient, pairIntervalMs: 0 }));
    printRun(runs.at(-1)!);
  }
  if (!SKIP.has("pair")) {
    console.log(`\n== b. ${flags["pair-recipients"]} recipients × ${flags["pair-sends"]}, default pair rate (one per ${PAIR_INTERVAL_MS / 1000} s) ==`);
    runs.push(await queuedRun(setup, server, { name: "pair", tenant: a, recipients: Number(flags["pair-recipients"]), perRecipient: Number(flags["pair-sends"]), pairIntervalMs: PAIR_INTERVAL_MS }));
    printRun(runs.at(-1)!);
  }

  let isolation: { solo: LatencySummary; beside: LatencySummary; bSends: number } | null = null;
  if (!SKIP.has("isolation")) {
    console.log(`\n== c. isolation: ${flags["isolation-rate"]}/s for ${flags["isolation-seconds"]} s, alone and beside a tenant whose token Graph rejects (190), ${flags["isolation-rounds"]} alternating rounds ==`);
    await sim.setTokenInvalid(brokenToken, 190);
    const solo: number[] = [];
    const beside: number[] = [];
    let bSends = 0;
    for (let round = 1; round <= Number(flags["isolation-rounds"]); round++) {
      const alone = await steadyRun(setup, server, `solo${round}`, [a]);
      solo.push(...alone.ms);
      await reactivate(setup.db.pool, b.connectionId);
      const before = (await sim.requests()).length;
      const paired = await steadyRun(setup, server, `beside${round}`, [a, b]);
      beside.push(...paired.ms);
      const reached = (await sim.requests()).slice(before).filter((r) => r.phoneNumberId === b.phoneNumberId).length;
      bSends += reached;
      const p99 = (ms: number[]) => fmt(summarize(ms).p99);
      console.log(`  round ${round}: alone ${alone.sent} sent, p99 ${p99(alone.ms)} ms; beside ${paired.sent} sent, p99 ${p99(paired.ms)} ms; the broken tenant's requests that reached Graph: ${reached}`);
    }
    const [s1, s2] = [summarize(solo), summarize(beside)];
    console.log(`  pooled: alone p50 ${fmt(s1.p50)} ms, p99 ${fmt(s1.p99)} ms (${solo.length}); beside p50 ${fmt(s2.p50)} ms, p99 ${fmt(s2.p99)} ms (${beside.length})`);
    isolation = { solo: s1, beside: s2, bSends };
  }

  console.log("\n== goals ==");
  for (const r of runs) {
    console.log(
      `${verdict(runGoal(r))}  ${r.name}: once queued ≥ 90% of ${fmt(r.ceilingPerSecond)}/s, never above ${RATE} in any second, 0 lost, 0 duplicates — ` +
        `${fmt((100 * r.afterQueuedPerSecond) / r.ceilingPerSecond)}% once queued (${fmt((100 * r.achievedPerSecond) / r.ceilingPerSecond)}% over the whole run), max ${r.maxInAnySecond} in a second, lost ${r.lost}, duplicates ${r.duplicates}`,
    );
  }
  if (isolation) {
    const ratio = isolation.beside.p99 / isolation.solo.p99;
    console.log(`${verdict(ratio <= 1.1)}  isolation: p99 beside a broken tenant within 10% of alone — ${fmt(isolation.beside.p99)} vs ${fmt(isolation.solo.p99)} ms (${fmt((ratio - 1) * 100)}%)`);
  }
  console.log(`results: ${writeResults("outbound", setup.stamp, { runs, isolation })}`);
}

await runBench(main, { timeoutMs: 30 * 60_000 });
