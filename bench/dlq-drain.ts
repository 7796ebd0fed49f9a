// npm run bench:dlq-drain [-- --events 10000 --latency 100 --types text,location,… --budget 240]
// Draining a dead-letter backlog (see bench/README.md): a fresh database, one connected number, N signed
// deliveries (1 message + 3 statuses per 4, as Meta sends them for a busy number) stored exactly as the
// webhook route stores them, then all marked FAILED by a processing error with their retry time in the
// past. The `webhook-retry` job then runs through runJob(), invocation after invocation, until nothing is
// due: events/s, invocations, and whether every event ended PROCESSED (and why not, if not).
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import type pg from "pg";
import { RESULTS_DIR } from "@/bench/lib/bench-setup";
import { onCleanup, runBench } from "@/bench/lib/cleanup";
import { coresUsed, cpuSnapshot } from "@/bench/lib/cpu";
import { countByState, createBenchDatabase, seedCustomers } from "@/bench/lib/database";
import { fmt, machineLine, verdict, writeResults } from "@/bench/lib/report";
import { runJobUntilDone } from "@/bench/lib/run-job-until-done";
import { TrafficGenerator, type TrafficNumber } from "@/bench/lib/traffic";
import { startGraphSimulator } from "@/sim/graph-server";
import { newNumericId, newUserNumber } from "@/sim/ids";
import { MESSAGE_VARIANTS, type MessageVariant } from "@/sim/webhook-payloads";

// Job locks are keyed by job name alone (whatrack:lock:job:<name>): on the Redis database the tests use (0),
// a bench run would hold the lock against another session's test of the same job, which would get 429.
const JOB_REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/1";

const { values: flags } = parseArgs({
  options: {
    events: { type: "string", default: "10000" },
    customers: { type: "string", default: "500" },
    latency: { type: "string", default: "100" },
    // Text mostly, and types that make the app auto-reply through the Graph simulator (as bench:kill).
    types: { type: "string", default: "text,location,text,image,reaction,text,interactive_button_reply,audio" },
    budget: { type: "string" },
    "keep-db": { type: "boolean", default: false },
  },
});

const EVENTS = Number(flags.events);
const LATENCY_MS = Number(flags.latency);
const TYPES = flags.types.split(",").map((t) => t.trim());

function isVariant(t: string): t is MessageVariant {
  return Object.hasOwn(MESSAGE_VARIANTS, t);
}


const due = async (pool: pg.Pool) =>
  Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "WebhookEvent" WHERE state = 'FAILED' AND "nextAttemptAt" <= now()`)).rows[0]?.n ?? 0);

const show = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "none";

async function main(): Promise<void> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  mkdirSync(RESULTS_DIR, { recursive: true });
  console.log(machineLine());
  const unknown = TYPES.filter((t) => !isVariant(t));
  if (unknown.length) throw new Error(`--types: unknown message type(s) ${unknown.join(", ")} (known: ${Object.keys(MESSAGE_VARIANTS).join(", ")})`);
  const types = TYPES.filter(isVariant);

  const db = await createBenchDatabase({ keep: flags["keep-db"] });
  const sim = await startGraphSimulator({ latencyMs: LATENCY_MS });
  onCleanup("graph simulator", () => sim.close());

  // The app runs in this process: its environment must be in place before its modules are imported.
  Object.assign(process.env, {
    NODE_ENV: "production",
    DATABASE_URL: db.url,
    REDIS_URL: JOB_REDIS_URL,
    TOKEN_ENCRYPTION_KEY: `k1:${randomBytes(32).toString("hex")}`,
    GRAPH_API_BASE_URL: sim.url,
    LOG_LEVEL: "warn",
  });
  const { closeDatabase } = await import("@/lib/db/client");
  const { closeRedisLockClients } = await import("@/lib/locks/redis-lock-store");
  onCleanup("app database client", () => closeDatabase());
  onCleanup("app redis client", () => closeRedisLockClients());
  const { createWorkspace } = await import("@/lib/workspaces/create-workspace");
  const { createConnection } = await import("@/lib/connections/create-connection");
  const { storeWebhookEvent } = await import("@/lib/webhooks/store-webhook-event");
  const { findJob } = await import("@/lib/jobs/job-registry");

  const base = findJob("webhook-retry");
  if (!base) throw new Error('job "webhook-retry" is not registered');
  const def = flags.budget ? { ...base, budgetSeconds: Number(flags.budget) } : base;

  // ------------------------------------------------------------------------------------ the backlog
  const workspace = await createWorkspace({ name: `Bench shop ${process.pid}`, slug: `bench-dlq-${process.pid}` });
  const ids = { wabaId: newNumericId(15), phoneNumberId: newNumericId(15), displayPhoneNumber: "15550783881" };
  const connection = await createConnection({ workspaceId: workspace.id, ...ids, accessToken: `EAAB${randomBytes(24).toString("hex")}` });
  const number: TrafficNumber = { appSecret: randomBytes(32).toString("hex"), ...ids, workspaceId: workspace.id, connectionId: connection.id };
  const customers = await seedCustomers(db.pool, number, Array.from({ length: Number(flags.customers) }, () => newUserNumber()));
  const gen = new TrafficGenerator(number, customers, types);
  const deliveries = gen.next(EVENTS);
  await gen.seed(db.pool);
  const messages = deliveries.filter((d) => d.kind === "message").length;

  console.log(
    `settings: ${EVENTS} events (${messages} message deliveries of types ${[...new Set(types)].join(", ")}; ${EVENTS - messages} status deliveries), ` +
      `Graph simulator latency ${LATENCY_MS} ms (auto-replies), job budget per invocation ${def.budgetSeconds} s (${flags.budget ? "--budget" : "the job's budgetSeconds"}), ` +
      `database ${db.name}, job lock on ${JOB_REDIS_URL}`,
  );

  // Stored by the route's own insert (signed raw bytes, body hash), as a real delivery would be.
  const storing = performance.now();
  const limit = pLimit(8);
  const stored = await Promise.all(deliveries.map((d) => limit(() => storeWebhookEvent(d.body!))));
  const duplicates = stored.filter((s) => s.duplicate).length;
  // Then what the processing path leaves when a delivery's processing threw: FAILED, one attempt made,
  // the retry due (here: already past, spread over the last ten minutes).
  const failed = await db.pool.query(
    `UPDATE "WebhookEvent" SET state = 'FAILED', attempts = 1, "errorKind" = 'PROCESSING',
            "lastError" = 'bench: simulated processing failure (database unavailable)', "leaseUntil" = NULL,
            "nextAttemptAt" = now() - interval '1 second' - random() * interval '10 minutes',
            "workspaceId" = $1, "phoneNumberId" = $2, "wabaId" = $3`,
    [workspace.id, ids.phoneNumberId, ids.wabaId],
  );
  const dueBefore = await due(db.pool);
  console.log(
    `stored ${stored.length} deliveries through storeWebhookEvent in ${fmt((performance.now() - storing) / 1000)} s (${duplicates} duplicates); ` +
      `${failed.rowCount} marked FAILED (attempts 1, errorKind PROCESSING, nextAttemptAt in the past): ${dueBefore} due`,
  );

  // -------------------------------------------------------------------------------------- the drain
  console.log(`\n== runJob("webhook-retry") until nothing is due ==`);
  const cpu0 = cpuSnapshot();
  const wallStart = performance.now();
  const dueAfter: number[] = [];
  const { invocations, busy } = await runJobUntilDone(def, "bench:dlq-drain", async (inv, n) => {
    dueAfter.push(await due(db.pool));
    console.log(
      `  invocation ${n}: ${inv.status} in ${fmt(inv.ms / 1000)} s — ${inv.error ?? show(inv.summary)}${inv.hasMore ? " (budget spent)" : ""}; ${dueAfter.at(-1)} still due`,
    );
    // Done when nothing is due, even if the last run ended exactly at its budget.
    return dueAfter.at(-1)! > 0;
  });
  const wallMs = performance.now() - wallStart;
  const cores = coresUsed(cpu0, cpuSnapshot(), {});

  // ---------------------------------------------------------------------------------------- results
  const jobMs = invocations.reduce((a, i) => a + i.ms, 0);
  const states = await countByState(db.pool);
  const processed = states.PROCESSED ?? 0;
  const { rows: notProcessed } = await db.pool.query<{ state: string; kind: string | null; error: string | null; n: string }>(
    `SELECT state::text AS state, "errorKind" AS kind, left("lastError", 200) AS error, count(*) AS n
       FROM "WebhookEvent" WHERE state <> 'PROCESSED' GROUP BY 1, 2, 3 ORDER BY 4 DESC LIMIT 8`,
  );
  const { rows: effects } = await db.pool.query<{ direction: string; status: string; n: string }>(
    `SELECT direction::text AS direction, status::text AS status, count(*) AS n FROM "Message" WHERE "workspaceId" = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
    [workspace.id],
  );
  const simStats = sim.control.stats();

  console.log(
    `job time ${fmt(jobMs / 1000)} s, wall time ${fmt(wallMs / 1000)} s, ${invocations.length} invocation(s)` +
      `${busy ? ` (+${busy} "busy" answers waited out: someone else held the job lock)` : ""}: ` +
      `${fmt(processed / (jobMs / 1000))} events/s processed (of job time)`,
  );
  console.log(`states after: ${show(states)}`);
  console.log(
    `what processing wrote: messages ${effects.map((r) => `${r.direction} ${r.status} ${r.n}`).join(", ")}; ` +
      `Graph simulator: ${simStats.totalRequests} requests (${show(simStats.byEndpoint)})`,
  );
  console.log(`cores: ${show(Object.fromEntries(Object.entries(cores).filter(([k]) => k !== "machineCores").map(([k, v]) => [k === "bench" ? "bench (job + simulator)" : k, v])))}`);
  console.log(machineLine());

  const allProcessed = processed === stored.length && notProcessed.length === 0;
  console.log("\n== goal ==");
  console.log(`${verdict(allProcessed)}  every one of the ${stored.length} failed events ended PROCESSED — ${processed} did`);
  if (!allProcessed) {
    console.log("  not processed, by state / errorKind / last error:");
    for (const r of notProcessed) console.log(`  ${r.n.padStart(6)} × ${r.state} ${r.kind ?? "-"}: ${r.error ?? "(no error recorded)"}`);
  }

  const file = writeResults("dlq-drain", stamp, {
    at: new Date().toISOString(),
    machine: machineLine(),
    settings: { events: EVENTS, messages, types, latencyMs: LATENCY_MS, budgetSeconds: def.budgetSeconds },
    dueBefore,
    invocations,
    busy,
    jobMs,
    wallMs,
    eventsPerSecond: processed / (jobMs / 1000),
    states,
    notProcessed,
    messages: effects,
    graph: simStats,
    cores,
    allProcessed,
  });
  console.log(`\nresults: ${file}`);
}

await runBench(main, { timeoutMs: 20 * 60_000 });
