import pg from "pg";
import { applyMigrations, pgRunner } from "@/lib/db/apply-migrations";
import { onCleanup } from "@/bench/lib/cleanup";

// The bench's own database on the local PostgreSQL: created fresh, migrated with the project's
// runner (what `npm run db:migrate` does), dropped at the end. The bench reads it directly through
// `pg` — never through the app — to check what the app claims to have stored.

export const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface BenchDatabase {
  name: string;
  url: string;
  /** A small pool for the bench's own checks and samples. */
  pool: pg.Pool;
}

function urlFor(name: string): string {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates and migrates `whatrack_bench_<pid>`; dropped by the bench's cleanup unless `keep`. */
export async function createBenchDatabase(options: { keep?: boolean } = {}): Promise<BenchDatabase> {
  const name = `whatrack_bench_${process.pid}`;
  const url = urlFor(name);
  await admin(async (c) => {
    await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await c.query(`CREATE DATABASE "${name}"`);
  });
  onCleanup(`drop database ${name}`, async () => {
    if (options.keep) console.log(`kept database ${name} (--keep-db)`);
    else await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await applyMigrations(pgRunner(client));
  } finally {
    await client.end();
  }
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  // end() resolves before its sockets close; the cleanup's DROP DATABASE … WITH (FORCE) may then cut one
  // (57P01). Without a listener that error would crash the process after the figures were printed.
  pool.on("error", (err: Error & { code?: string }) => {
    if (err.code !== "57P01") console.error("bench pg pool:", err.message);
  });
  onCleanup("bench pg pool", () => pool.end());
  return { name, url, pool };
}

export type StateCounts = Record<string, number>;

/** Rows still waiting for processing (PENDING or PROCESSING). */
export async function backlog(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "WebhookEvent" WHERE state IN ('PENDING', 'PROCESSING')`);
  return Number(rows[0]?.n ?? 0);
}

/** Inbound messages stored so far (each single-message delivery processed is one). */
export async function inboundMessages(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM "Message" WHERE direction = 'INBOUND'`);
  return Number(rows[0]?.n ?? 0);
}

/** Deliveries whose processing threw and that now wait for the retry path (FAILED with a retry time, or DEAD). */
export async function failedProcessing(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM "WebhookEvent" WHERE (state = 'FAILED' AND "errorKind" = 'PROCESSING') OR state = 'DEAD'`,
  );
  return Number(rows[0]?.n ?? 0);
}

/** The app's connections to this database by pg_stat_activity state (active, idle, idle in transaction…). */
export async function connectionStates(pool: pg.Pool, database: string): Promise<StateCounts> {
  const { rows } = await pool.query<{ state: string | null; n: string }>(
    `SELECT state, count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend' GROUP BY state`,
    [database],
  );
  return Object.fromEntries(rows.map((r) => [r.state ?? "unknown", Number(r.n)]));
}

/** Which of these body hashes are stored, with each one's state. */
export async function storedStates(pool: pg.Pool, sha256s: string[]): Promise<Map<string, { state: string; leaseUntil: Date | null; nextAttemptAt: Date | null; errorKind: string | null }>> {
  const out = new Map<string, { state: string; leaseUntil: Date | null; nextAttemptAt: Date | null; errorKind: string | null }>();
  for (let i = 0; i < sha256s.length; i += 5_000) {
    const { rows } = await pool.query<{ sha: string; state: string; lease: Date | null; next: Date | null; kind: string | null }>(
      `SELECT "bodySha256" AS sha, state::text AS state, "leaseUntil" AS lease, "nextAttemptAt" AS next, "errorKind" AS kind
         FROM "WebhookEvent" WHERE "bodySha256" = ANY($1::text[])`,
      [sha256s.slice(i, i + 5_000)],
    );
    for (const r of rows) out.set(r.sha, { state: r.state, leaseUntil: r.lease, nextAttemptAt: r.next, errorKind: r.kind });
  }
  return out;
}

/** How many of these body hashes have no row: acknowledged but lost. */
export async function countMissing(pool: pg.Pool, sha256s: string[]): Promise<number> {
  const stored = await storedStates(pool, sha256s);
  return sha256s.filter((s) => !stored.has(s)).length;
}

export async function countByState(pool: pg.Pool): Promise<StateCounts> {
  const { rows } = await pool.query<{ state: string; n: string }>(`SELECT state::text AS state, count(*) AS n FROM "WebhookEvent" GROUP BY state ORDER BY state`);
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
}

// ------------------------------------------------------------------------------------------ seeding

export interface Customer {
  waId: string;
  contactId: string;
  conversationId: string;
}

/**
 * The customers the benched number talks to, as rows the app would have created: a contact and a
 * conversation each. Inbound messages come from them; outbound messages (for statuses) go to them.
 */
export async function seedCustomers(pool: pg.Pool, ids: { workspaceId: string; connectionId: string }, waIds: string[], idPrefix = "bench"): Promise<Customer[]> {
  const customers = waIds.map((waId, i) => ({ waId, contactId: `${idPrefix}_contact_${i}`, conversationId: `${idPrefix}_conversation_${i}` }));
  await pool.query(
    `INSERT INTO "Contact" (id, "workspaceId", "waId", "profileName", "updatedAt")
       SELECT c.id, $1, c.wa, 'Bench customer', now() FROM unnest($2::text[], $3::text[]) AS c(id, wa)`,
    [ids.workspaceId, customers.map((c) => c.contactId), waIds],
  );
  await pool.query(
    `INSERT INTO "Conversation" (id, "workspaceId", "connectionId", "contactId", "updatedAt")
       SELECT c.conv, $1, $2, c.contact, now() FROM unnest($3::text[], $4::text[]) AS c(conv, contact)`,
    [ids.workspaceId, ids.connectionId, customers.map((c) => c.conversationId), customers.map((c) => c.contactId)],
  );
  return customers;
}

/** Outbound messages the business "sent earlier" (status PENDING), so statuses have a message to update. */
export async function seedOutboundMessages(
  pool: pg.Pool,
  ids: { workspaceId: string; connectionId: string },
  messages: Array<{ wamid: string; customer: Customer }>,
): Promise<void> {
  for (let i = 0; i < messages.length; i += 5_000) {
    const chunk = messages.slice(i, i + 5_000);
    await pool.query(
      `INSERT INTO "Message" (id, "workspaceId", "connectionId", "conversationId", "contactId", wamid, direction, type, text, content, status, timestamp, "updatedAt")
         SELECT 'bench_out_' || md5(m.wamid), $1, $2, m.conv, m.contact, m.wamid, 'OUTBOUND', 'text', 'Your order has shipped',
                '{"type":"text","text":{"body":"Your order has shipped"}}'::jsonb, 'PENDING', now() - interval '1 minute', now()
           FROM unnest($3::text[], $4::text[], $5::text[]) AS m(wamid, conv, contact)`,
      [ids.workspaceId, ids.connectionId, chunk.map((m) => m.wamid), chunk.map((m) => m.customer.conversationId), chunk.map((m) => m.customer.contactId)],
    );
  }
}
