import { Logger as GraphileLogger, runMigrations, runOnce, type TaskList } from "graphile-worker";
import { PgBoss, type ConstructorOptions, type Db } from "pg-boss";
import type pg from "pg";

// The two libraries bench/queue-choice.ts measures against our engine (lib/queue/), set up the way
// the webhook inbox would use them: the delivery row is stored in "WebhookEvent" anyway (the raw
// bytes and their hash are the durable record and the de-duplication), so a library queue would
// carry only the row's id. Dev dependencies only: nothing in the app imports this.

/**
 * One delivery's row, as the webhook hot path stores a delivery that arrives alone
 * (lib/webhooks/store-webhook-event.ts writes the deliveries of one event-loop turn in one statement;
 * an added enqueue per delivery would be batched alike, so the comparison holds per delivery).
 */
export const INSERT_DELIVERY = `
  INSERT INTO "WebhookEvent" (id, "rawBody", "bodySha256", "signatureValid", "receivedAt", "lastReceivedAt", state, "nextAttemptAt")
  VALUES (gen_random_uuid()::text, $1, $2, true, now(), now(), 'PENDING', now())
  ON CONFLICT ("bodySha256") DO UPDATE SET deliveries = "WebhookEvent".deliveries + 1, "lastReceivedAt" = now()
  RETURNING id, state::text AS state, deliveries`;

// ------------------------------------------------------------------------------------------ pg-boss

export const BOSS_SCHEMA = "pgboss";

/** Everything pg-boss can run in the background switched off: what a serverless function would start. */
export const BOSS_MINIMAL: Partial<ConstructorOptions> = { supervise: false, schedule: false, migrate: false, registerInstance: false };

export function newBoss(options: ConstructorOptions, onError: (message: string) => void): PgBoss {
  const boss = new PgBoss({ schema: BOSS_SCHEMA, max: 10, ...options });
  // An EventEmitter "error" without a listener would throw; pg-boss emits its background failures there.
  boss.on("error", (err) => onError(err instanceof Error ? err.message : String(err)));
  return boss;
}

/** pg-boss's `db` option over one checked-out client: its statement then runs inside the caller's transaction. */
export function clientDb(client: pg.PoolClient): Db {
  return { executeSql: async (text, values) => ({ rows: (await client.query(text, values)).rows }) };
}

/** pg-boss's `db` option over a pool (each statement on whichever connection is free). */
export function poolDb(pool: pg.Pool): Db {
  return { executeSql: async (text, values) => ({ rows: (await pool.query(text, values)).rows }) };
}

// -------------------------------------------------------------------------------- graphile-worker

export const GRAPHILE_SCHEMA = "graphile_worker";

/** graphile-worker's documented in-transaction enqueue: its SQL function. */
export const graphileAddJob = (schema = GRAPHILE_SCHEMA) => `SELECT id FROM ${schema}.add_job($1::text, $2::json)`;

/** `n` jobs of `task` in one statement (set-up, not timed), payload {eventId: prefix || i}. */
export const graphileAddJobs = (schema = GRAPHILE_SCHEMA) =>
  `SELECT count(${schema}.add_job($1::text, json_build_object('eventId', $2::text || i))) AS n FROM generate_series(1, $3::int) i`;

/** The hot-path insert and the enqueue as ONE statement (the function reads the new row's id). */
export const INSERT_DELIVERY_AND_ADD_JOB = `
  WITH stored AS (${INSERT_DELIVERY.trim()})
  SELECT job.id FROM stored, LATERAL ${GRAPHILE_SCHEMA}.add_job('inbox', json_build_object('eventId', stored.id)) AS job WHERE stored.deliveries = 1`;

/** A graphile-worker logger that keeps warnings and errors and drops the rest. */
export function graphileLogger(onWarn: (message: string) => void): GraphileLogger {
  return new GraphileLogger(() => (level, message) => {
    if (level === "error" || level === "warning") onWarn(`${level}: ${message}`);
  });
}

export type GraphileRunOptions = {
  schema?: string;
  pgPool?: pg.Pool;
  connectionString?: string;
  noPreparedStatements?: boolean;
  localQueueSize?: number;
  concurrency?: number;
  completeJobBatchDelay?: number;
  logger: GraphileLogger;
};

function sharedOptions(o: GraphileRunOptions) {
  return {
    schema: o.schema ?? GRAPHILE_SCHEMA,
    pgPool: o.pgPool,
    connectionString: o.connectionString,
    noPreparedStatements: o.noPreparedStatements,
    noHandleSignals: true,
    logger: o.logger,
    preset: {
      worker: {
        concurrentJobs: o.concurrency ?? 1,
        preparedStatements: !o.noPreparedStatements,
        ...(o.localQueueSize ? { localQueue: { size: o.localQueueSize } } : {}),
        completeJobBatchDelay: o.completeJobBatchDelay ?? -1,
      },
    },
  };
}

export async function installGraphile(o: GraphileRunOptions): Promise<void> {
  await runMigrations(sharedOptions(o));
}

/** graphile-worker's one-shot mode: works the due jobs with `taskList` and returns when none is left. */
export async function graphileRunOnce(o: GraphileRunOptions, taskList: TaskList): Promise<void> {
  await runOnce({ ...sharedOptions(o), taskList });
}

// --------------------------------------------------------------------------------------- schemas

export type SchemaObjects = { tables: number; partitions: number; indexes: number; functions: number; types: number; sequences: number; views: number; triggers: number };

/** What a library installed in its schema, from the catalogs. */
export async function schemaObjects(pool: pg.Pool, schema: string): Promise<SchemaObjects> {
  const { rows } = await pool.query<Record<keyof SchemaObjects, string>>(
    `SELECT
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition) AS tables,
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relispartition AND c.relkind IN ('r', 'p')) AS partitions,
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('i', 'I')) AS indexes,
       (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1) AS functions,
       (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typtype IN ('e', 'c', 'd') AND (t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))) AS types,
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'S') AS sequences,
       (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('v', 'm')) AS views,
       (SELECT count(*) FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND NOT tg.tgisinternal) AS triggers`,
    [schema],
  );
  const r = rows[0]!;
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number(v)])) as SchemaObjects;
}

export function describeObjects(o: SchemaObjects): string {
  return `${o.tables} tables${o.partitions ? ` (+${o.partitions} partitions)` : ""}, ${o.indexes} indexes, ${o.functions} functions, ${o.types} types, ${o.sequences} sequences, ${o.views} views, ${o.triggers} triggers`;
}
