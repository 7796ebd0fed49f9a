import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import pg from "pg";
import { onCleanup } from "@/bench/lib/cleanup";
import { ADMIN_URL, createBenchDatabase, seedCustomers, type BenchDatabase, type Customer } from "@/bench/lib/database";
import { freePort, runCommand } from "@/bench/lib/processes";
import { ensureBuild, startNextServer, type RunningServer } from "@/bench/lib/start-server";
import type { TrafficNumber } from "@/bench/lib/traffic";
import { startGraphSimulator, type GraphSimulator } from "@/sim/graph-server";
import { newNumericId, newUserNumber } from "@/sim/ids";

// What both benches stand on: a fresh migrated database, the Graph simulator, a workspace and a
// connected number created through the admin CLI, the customers that number talks to, and a way to
// start `next start` against all of it. Secrets are generated per run and live only in the
// environment handed to the child processes.

export const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/0";
export const RESULTS_DIR = path.join("bench", "results");

export interface BenchSetup {
  stamp: string;
  /** Environment for `next start`, the CLI and the baseline server. */
  env: NodeJS.ProcessEnv;
  db: BenchDatabase;
  sim: GraphSimulator;
  number: TrafficNumber;
  customers: Customer[];
  build: string;
  logFile(label: string): string;
  /** `nodeArgs` go to node itself, before Next's bin (e.g. --cpu-prof). */
  startServer(label: string, nodeArgs?: string[]): Promise<RunningServer>;
  /** `npm run whatrack -- …` with the bench's environment; returns its parsed JSON output. */
  cli(args: string[], extraEnv?: Record<string, string>): Promise<unknown>;
}

export async function setUpBench(o: { name: string; keepDb: boolean; build: boolean; poolSize?: number; customers: number }): Promise<BenchSetup> {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  mkdirSync(RESULTS_DIR, { recursive: true });
  await checkServices();

  const db = await createBenchDatabase({ keep: o.keepDb });
  const sim = await startGraphSimulator();
  onCleanup("graph simulator", () => sim.close());

  const appSecret = randomBytes(32).toString("hex");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: process.env.LANG ?? "C.UTF-8",
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: db.url,
    REDIS_URL,
    WHATSAPP_APP_SECRET: appSecret,
    WHATSAPP_VERIFY_TOKEN: randomBytes(16).toString("hex"),
    TOKEN_ENCRYPTION_KEY: `k1:${randomBytes(32).toString("hex")}`,
    GRAPH_API_BASE_URL: sim.url,
    LOG_LEVEL: "warn",
    ...(o.poolSize ? { DATABASE_POOL_SIZE: String(o.poolSize) } : {}),
  };

  const cli = async (args: string[], extraEnv: Record<string, string> = {}) => {
    const result = await runCommand("npm", ["run", "--silent", "whatrack", "--", ...args], { env: { ...env, ...extraEnv }, timeoutMs: 180_000 });
    if (result.code !== 0) throw new Error(`whatrack ${args[0]} failed (exit ${result.code}):\n${result.stderr.slice(-2000)}`);
    return JSON.parse(result.stdout) as unknown;
  };

  const build = await ensureBuild(env, o.build);

  const slug = `bench-${process.pid}`;
  const workspace = (await cli(["workspace:create", "--name", `Bench shop ${process.pid}`, "--slug", slug])) as { id: string };
  const phoneNumberId = newNumericId(15);
  const wabaId = newNumericId(15);
  const displayPhoneNumber = "15550783881";
  const connection = (await cli(
    ["connection:create", "--workspace", slug, "--waba-id", wabaId, "--phone-number-id", phoneNumberId, "--display-phone-number", displayPhoneNumber, "--token-env", "BENCH_GRAPH_TOKEN"],
    { BENCH_GRAPH_TOKEN: `EAAB${randomBytes(24).toString("hex")}` },
  )) as { id: string };

  const number: TrafficNumber = { appSecret, wabaId, phoneNumberId, displayPhoneNumber, workspaceId: workspace.id, connectionId: connection.id };
  const customers = await seedCustomers(db.pool, number, Array.from({ length: o.customers }, () => newUserNumber()));

  const logFile = (label: string) => path.join(RESULTS_DIR, `${o.name}-${stamp}-${label}.log`);
  return {
    stamp,
    env,
    db,
    sim,
    number,
    customers,
    build,
    logFile,
    startServer: async (label: string, nodeArgs: string[] = []) => startNextServer({ port: await freePort(), env, logFile: logFile(label), nodeArgs }),
    cli,
  };
}

/** PostgreSQL and Redis must answer before anything is created. */
async function checkServices(): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (err) {
    throw new Error(`PostgreSQL at ${ADMIN_URL} is not answering (${(err as Error).message}); see PLATFORM.md "Services"`);
  } finally {
    await client.end().catch(() => undefined);
  }
  const url = new URL(REDIS_URL);
  const pong = await new Promise<string>((resolve) => {
    const socket = connect(Number(url.port || 6379), url.hostname);
    socket.setTimeout(2_000, () => socket.destroy(new Error("timeout")));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => {
      resolve(data.toString("utf8").trim());
      socket.end();
    });
    socket.once("error", (err) => resolve(err.message));
  });
  if (pong !== "+PONG") throw new Error(`Redis at ${url.host} is not answering (${pong}); see PLATFORM.md "Services"`);
}
