import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { startNextServer, type NextServer } from "@/tests/helpers/next-server";
import { databaseUrl, dropDatabase, withAdminClient } from "@/tests/helpers/postgres-admin";

// The first calls of the jobs on a fresh database, at once, against the built app under `next start` on
// the real PostgreSQL and Redis: one run, every other call 429 — never a 500 from the job row's creation.
const base = process.env.TEST_DATABASE_URL;
const onServer = Boolean(base && process.env.TEST_REDIS_URL);
const ROUNDS = 3;

describe.skipIf(!onServer)("the first calls of the jobs on a fresh database, on next start", () => {
  const port = 4100 + (process.pid % 90);
  const databases: string[] = [];
  let server: NextServer | null = null;

  afterAll(async () => {
    await server?.stop();
    for (const name of databases) await dropDatabase(base!, name);
  });

  /** A fresh copy of the migrated template, and the app started on it with its own Redis key space. */
  async function freshApp(): Promise<{ url: string; db: string }> {
    await server?.stop();
    const name = `whatrack_e2e_jobs_${randomBytes(5).toString("hex")}`;
    await withAdminClient(base!, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${inject("templateDatabase")}"`));
    databases.push(name);
    const db = databaseUrl(base!, name);
    server = await startNextServer({
      port,
      env: {
        DATABASE_URL: db,
        REDIS_URL: process.env.TEST_REDIS_URL,
        REDIS_KEY_PREFIX: name,
        CRON_SECRET: process.env.CRON_SECRET,
        TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY,
        WHATSAPP_APP_SECRET: process.env.WHATSAPP_APP_SECRET,
        WHATSAPP_VERIFY_TOKEN: process.env.WHATSAPP_VERIFY_TOKEN,
        GRAPH_API_BASE_URL: process.env.GRAPH_API_BASE_URL,
        LOG_LEVEL: "warn",
      },
    });
    return { url: server.url, db };
  }

  async function tenCalls(url: string): Promise<Array<{ status: number; body: { success: boolean; data?: Array<{ job: string; outcome: string }>; error?: { code: string; message: string } } }>> {
    return Promise.all(
      Array.from({ length: 10 }, async () => {
        const res = await fetch(url, { method: "POST", headers: { "x-cron-secret": process.env.CRON_SECRET! } });
        return { status: res.status, body: await res.json() };
      }),
    );
  }

  async function runsByJob(db: string): Promise<Record<string, string[]>> {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      const { rows } = await client.query<{ job: string; status: string }>(`SELECT job, status::text FROM "JobRun" ORDER BY job`);
      const out: Record<string, string[]> = {};
      for (const r of rows) (out[r.job] ??= []).push(r.status);
      return out;
    } finally {
      await client.end();
    }
  }

  it(`ten dispatcher calls at once: one 200 that runs each due job once, nine 429 (${ROUNDS} fresh databases)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const app = await freshApp();
      const answers = await tenCalls(`${app.url}/api/v1/jobs/dispatch`);
      expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(9).fill(429)]);
      const ran = answers.find((a) => a.status === 200)!.body.data!;
      // webhook-retry (every 5 minutes) and connection-monitor (every 15) are always due.
      expect(ran.map((d) => d.job)).toEqual(expect.arrayContaining(["webhook-retry", "connection-monitor"]));
      expect(ran.every((d) => d.outcome === "succeeded")).toBe(true);
      for (const busy of answers.filter((a) => a.status === 429)) expect(busy.body).toEqual({ success: false, error: { code: "rate_limited", message: "Dispatcher already running" } });
      const runs = await runsByJob(app.db);
      expect(Object.keys(runs).sort()).toEqual(ran.map((d) => d.job).sort());
      for (const statuses of Object.values(runs)) expect(statuses).toEqual(["SUCCEEDED"]);
    }
  });

  it(`ten calls of one job at once: no 500, one run, the others 429 (${ROUNDS} fresh databases)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const app = await freshApp();
      const answers = await tenCalls(`${app.url}/api/v1/jobs/webhook-retry`);
      expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(9).fill(429)]);
      for (const busy of answers.filter((a) => a.status === 429)) expect(busy.body).toEqual({ success: false, error: { code: "rate_limited", message: "Job already running" } });
      expect(await runsByJob(app.db)).toEqual({ "webhook-retry": ["SUCCEEDED"] });
    }
  });
});
