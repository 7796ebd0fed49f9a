// npm run bench:dashboard [-- --messages 100000 --conversations 2000 --samples 200 --warmup 20 --build --keep-db]
// The dashboard's read paths on a big workspace: a fresh database with one workspace
// holding 100,000 messages across ~2,000 conversations (bulk SQL inserts; a few conversations hold most of
// the messages, as in real inboxes), `next start`, a real sign-in, then each endpoint requested one at a time
// on localhost, many times: p50/p95/p99 of the time to the last byte (no network in between, so this is
// server time plus a loopback round trip), and the app's Server-Timing total when it sends one.
// Goal (PASS/MISS, judged on p95): the conversations list and a conversation open in ≤ 300 ms.
import { randomBytes } from "node:crypto";
import { request, Agent } from "node:http";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { setUpBench } from "@/bench/lib/bench-setup";
import { runBench } from "@/bench/lib/cleanup";
import { percentile } from "@/bench/lib/percentiles";
import { fmt, machineLine, verdict, writeResults } from "@/bench/lib/report";
import { summarizeLog } from "@/bench/lib/server-log";
import { hashPassword } from "@/lib/auth/hash-password";

const { values: flags } = parseArgs({
  options: {
    messages: { type: "string", default: "100000" },
    conversations: { type: "string", default: "2000" },
    samples: { type: "string", default: "200" },
    warmup: { type: "string", default: "20" },
    build: { type: "boolean", default: false },
    "keep-db": { type: "boolean", default: false },
  },
});

const MESSAGES = Number(flags.messages);
const CONVERSATIONS = Number(flags.conversations);
const SAMPLES = Number(flags.samples);
const WARMUP = Number(flags.warmup);
const GOAL_MS = 300;

type Stats = { n: number; p50: number; p95: number; p99: number; max: number; serverP95: number | null; bytes: number; statuses: Record<string, number> };
type Target = { label: string; path: (i: number) => string; goal?: "list" | "open" };

// ───────────────────────────────────────────────────────────────────────────────────────── seeding

/**
 * Contacts, conversations and messages as the app would have stored them, in a handful of statements.
 * Message i goes to conversation floor(C · u²) for a uniform u: conversation 0 gets ~2,000 messages, the
 * median one a few dozen. 60 % inbound; outbound ones carry every status, failures with Meta's reason.
 */
const SEED_SQL = {
  contacts: `
    INSERT INTO "Contact" (id, "workspaceId", "waId", "profileName", "updatedAt")
    SELECT 'bc_' || i, $1, (972500000000 + i)::text,
           (ARRAY['Noa','Omar','Maria','Kenji','Ana','Priya','Dana','Yossi','Lior','Sam'])[1 + i % 10] || ' ' ||
           (ARRAY['Levi','Haddad','Souza','Sato','Novak','Shah','Cohen','Mizrahi','Peretz','Katz'])[1 + (i / 10) % 10] || ' ' || i,
           now()
      FROM generate_series(0, $2::int - 1) AS i`,
  conversations: `
    INSERT INTO "Conversation" (id, "workspaceId", "connectionId", "contactId", "updatedAt")
    SELECT 'bv_' || i, $1, $2, 'bc_' || i, now() FROM generate_series(0, $3::int - 1) AS i`,
  messages: `
    INSERT INTO "Message" (id, "workspaceId", "connectionId", "conversationId", "contactId", wamid, direction, type, text, content,
                           status, timestamp, "sentAt", "deliveredAt", "readAt", "failedAt", "errorCode", "errorTitle", "updatedAt")
    SELECT 'bm_' || m.i, $1, $2, 'bv_' || m.c, 'bc_' || m.c, 'wamid.bench' || m.i, m.dir::"MessageDirection", 'text', m.body,
           jsonb_build_object('type', 'text', 'text', jsonb_build_object('body', m.body)),
           m.status::"MessageStatus", m.ts,
           CASE WHEN m.dir = 'OUTBOUND' THEN m.ts END,
           CASE WHEN m.status IN ('DELIVERED', 'READ') THEN m.ts + interval '2 seconds' END,
           CASE WHEN m.status = 'READ' THEN m.ts + interval '1 minute' END,
           CASE WHEN m.status = 'FAILED' THEN m.ts + interval '1 second' END,
           CASE WHEN m.status = 'FAILED' THEN 131026 END,
           CASE WHEN m.status = 'FAILED' THEN 'Message undeliverable' END,
           now()
      FROM (
        SELECT i, c, dir, ts,
               CASE WHEN dir = 'INBOUND' THEN 'RECEIVED' ELSE (ARRAY['READ','READ','READ','DELIVERED','DELIVERED','SENT','FAILED'])[1 + (i % 7)] END AS status,
               CASE WHEN dir = 'INBOUND'
                    THEN (ARRAY['Hi, is order #', 'When will order #', 'Can I change the address for #', 'I want a refund for order #', 'Thanks! Got #'])[1 + (i % 5)] || (10000 + i % 9000)::text || (ARRAY[' ready?', ' arrive?', ' please', ' — it arrived damaged', ' 🙂'])[1 + (i % 5)]
                    ELSE (ARRAY['Your order #', 'We shipped #', 'Sorry about #', 'Pickup for #'])[1 + (i % 4)] || (10000 + i % 9000)::text || ' — reply here if you need anything.'
               END AS body
          FROM (
            SELECT i, least($4::int - 1, floor($4::int * power(random(), 2)))::int AS c,
                   CASE WHEN random() < 0.6 THEN 'INBOUND' ELSE 'OUTBOUND' END AS dir,
                   now() - (random() * interval '30 days') AS ts
              FROM generate_series(0, $3::int - 1) AS i
          ) AS raw
      ) AS m`,
  // What recording each message would have left on its conversation: counter, last message, the window.
  fold: `
    UPDATE "Conversation" c SET
      "messageCount" = s.inbound,
      "lastMessageAt" = s.last_at,
      "lastMessageText" = s.last_text,
      "lastInboundAt" = s.last_in,
      "windowExpiresAt" = s.last_in + interval '24 hours'
    FROM (
      SELECT "conversationId" AS id,
             count(*) FILTER (WHERE direction = 'INBOUND') AS inbound,
             max(timestamp) AS last_at,
             (array_agg(text ORDER BY timestamp DESC))[1] AS last_text,
             max(timestamp) FILTER (WHERE direction = 'INBOUND') AS last_in
        FROM "Message" WHERE "workspaceId" = $1 GROUP BY "conversationId"
    ) s
    WHERE c.id = s.id`,
};

// ─────────────────────────────────────────────────────────────────────────────────────── measuring

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One GET to the end of its body: milliseconds, status, bytes and the Server-Timing total if any. */
function timedGet(url: string, cookie: string): Promise<{ ms: number; status: number; bytes: number; serverMs: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method: "GET", agent, headers: { cookie, accept: "*/*" } }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => resolve({ ms: performance.now() - started, status: res.statusCode ?? 0, bytes, serverMs: serverTiming(res.headers["server-timing"]) }));
      res.on("error", reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error("timeout after 30 s")));
    req.on("error", reject);
    req.end();
  });
}

/** The sum of `dur=` values in a Server-Timing header (optional: sent only if the app measures itself). */
function serverTiming(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header.join(",") : header;
  if (!value) return null;
  const durations = [...value.matchAll(/dur=([\d.]+)/g)].map((m) => Number(m[1]));
  return durations.length ? durations.reduce((a, b) => a + b, 0) : null;
}

async function measure(base: string, cookie: string, target: Target): Promise<Stats> {
  for (let i = 0; i < WARMUP; i++) await timedGet(base + target.path(i), cookie);
  const times: number[] = [];
  const server: number[] = [];
  const statuses: Record<string, number> = {};
  let bytes = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const r = await timedGet(base + target.path(i), cookie);
    times.push(r.ms);
    if (r.serverMs !== null) server.push(r.serverMs);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    bytes += r.bytes;
  }
  const sorted = times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? 0),
    serverP95: server.length ? round(percentile(server.sort((a, b) => a - b), 0.95)) : null,
    bytes: Math.round(bytes / sorted.length),
    statuses,
  };
}

// ───────────────────────────────────────────────────────────────────────────────────────────── main

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const setup = await setUpBench({ name: "dashboard", keepDb: flags["keep-db"], build: flags.build, customers: 0 });
  const { db, number } = setup;
  setup.env.SESSION_SECRET = randomBytes(32).toString("hex");
  console.log(`dashboard queries — ${MESSAGES.toLocaleString("en")} messages across ${CONVERSATIONS.toLocaleString("en")} conversations, ${SAMPLES} samples per endpoint (after ${WARMUP} warm-up)`);
  console.log(`build: ${setup.build}`);

  // The owner who signs in.
  const email = `bench-owner-${process.pid}@example.test`;
  const password = randomBytes(12).toString("hex");
  await db.pool.query(`INSERT INTO "User" (id, email, "passwordHash", "updatedAt") VALUES ($1, $2, $3, now())`, [`bench_user_${process.pid}`, email, await hashPassword(password)]);
  await db.pool.query(`INSERT INTO "Membership" (id, "workspaceId", "userId", role) VALUES ($1, $2, $3, 'OWNER')`, [`bench_member_${process.pid}`, number.workspaceId, `bench_user_${process.pid}`]);

  let t = performance.now();
  await db.pool.query("SELECT setseed(0.42)");
  await db.pool.query(SEED_SQL.contacts, [number.workspaceId, CONVERSATIONS]);
  await db.pool.query(SEED_SQL.conversations, [number.workspaceId, number.connectionId, CONVERSATIONS]);
  await db.pool.query(SEED_SQL.messages, [number.workspaceId, number.connectionId, MESSAGES, CONVERSATIONS]);
  await db.pool.query(SEED_SQL.fold, [number.workspaceId]);
  await db.pool.query(`ANALYZE "Contact"; ANALYZE "Conversation"; ANALYZE "Message"`);
  const { rows: shape } = await db.pool.query<{ conversations: string; messages: string; biggest: string; median: string }>(
    `WITH per AS (SELECT "conversationId", count(*) AS n FROM "Message" WHERE "workspaceId" = $1 GROUP BY "conversationId")
     SELECT count(*) AS conversations, sum(n) AS messages, max(n) AS biggest, percentile_disc(0.5) WITHIN GROUP (ORDER BY n) AS median FROM per`,
    [number.workspaceId],
  );
  const s = shape[0]!;
  console.log(`seeded in ${fmt((performance.now() - t) / 1000)} s: ${s.messages} messages in ${s.conversations} conversations (largest ${s.biggest}, median ${s.median})`);

  t = performance.now();
  const server = await setup.startServer("next");
  console.log(`next start ready in ${fmt((performance.now() - t) / 1000)} s at ${server.url}`);

  // A real sign-in through the API, as the sign-in page does.
  const signIn = await fetch(`${server.url}/api/v1/auth/sign-in`, { method: "POST", headers: { "content-type": "application/json", origin: server.url }, body: JSON.stringify({ email, password }) });
  if (!signIn.ok) throw new Error(`sign-in failed: HTTP ${signIn.status} ${await signIn.text()}`);
  const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0]!;
  if (!cookie.includes("=")) throw new Error("sign-in set no session cookie");

  // Conversations to open: the largest, then a spread of others (so no single row stays hot).
  const { rows: convRows } = await db.pool.query<{ id: string }>(
    `SELECT "conversationId" AS id FROM "Message" WHERE "workspaceId" = $1 GROUP BY "conversationId" ORDER BY count(*) DESC, "conversationId"`,
    [number.workspaceId],
  );
  const spread = convRows.filter((_, i) => i % Math.max(1, Math.floor(convRows.length / 50)) === 0).map((r) => r.id);
  const biggest = convRows[0]!.id;
  const anyConversation = (i: number) => spread[i % spread.length]!;
  const listPage = await (await fetch(`${server.url}/api/v1/conversations`, { headers: { cookie } })).json() as { nextCursor: string | null };
  const cursor = listPage.nextCursor ? `?cursor=${encodeURIComponent(listPage.nextCursor)}` : "";

  const targets: Target[] = [
    { label: "GET /api/v1/conversations (list API)", path: () => "/api/v1/conversations", goal: "list" },
    { label: "GET /conversations (list page)", path: () => "/conversations", goal: "list" },
    { label: "GET /api/v1/conversations?cursor= (page 2)", path: () => `/api/v1/conversations${cursor}` },
    { label: "GET /conversations/{largest} (page)", path: () => `/conversations/${biggest}`, goal: "open" },
    { label: "GET /conversations/{50 others} (page)", path: (i) => `/conversations/${anyConversation(i)}`, goal: "open" },
    { label: "GET /api/v1/conversations/{id}/messages (largest)", path: () => `/api/v1/conversations/${biggest}/messages`, goal: "open" },
    { label: "GET /api/v1/conversations/{id}/messages (others)", path: (i) => `/api/v1/conversations/${anyConversation(i)}/messages`, goal: "open" },
    { label: "GET /api/v1/conversations/{id}", path: (i) => `/api/v1/conversations/${anyConversation(i)}` },
    { label: "search API ?q=refund (message text, many hits)", path: () => "/api/v1/conversations?q=refund" },
    { label: "search API ?q=Cohen (contact name)", path: () => "/api/v1/conversations?q=Cohen" },
    { label: "search API ?q=972500001234 (number)", path: () => "/api/v1/conversations?q=972500001234" },
    { label: "search API ?q=zzqx (no match: scans all)", path: () => "/api/v1/conversations?q=zzqx" },
    { label: "GET /conversations?q=refund (search page)", path: () => "/conversations?q=refund" },
  ];

  console.log(`\n${"endpoint".padEnd(52)} ${"p50".padStart(7)} ${"p95".padStart(7)} ${"p99".padStart(7)} ${"max".padStart(7)}  ${"bytes".padStart(7)}  status  goal`);
  const results: Array<Target & Stats & { pass: boolean | null }> = [];
  for (const target of targets) {
    const stats = await measure(server.url, cookie, target);
    const ok200 = stats.statuses["200"] === stats.n;
    const pass = target.goal ? ok200 && stats.p95 <= GOAL_MS : null;
    results.push({ ...target, ...stats, pass });
    const status = ok200 ? "200" : JSON.stringify(stats.statuses);
    const serverNote = stats.serverP95 !== null ? ` (Server-Timing p95 ${stats.serverP95} ms)` : "";
    console.log(
      `${target.label.padEnd(52)} ${fmt(stats.p50).padStart(7)} ${fmt(stats.p95).padStart(7)} ${fmt(stats.p99).padStart(7)} ${fmt(stats.max).padStart(7)}  ${String(stats.bytes).padStart(7)}  ${status.padEnd(6)}  ${target.goal ? verdict(pass) : ""}${serverNote}`,
    );
  }
  const group = (goal: "list" | "open") => results.filter((r) => r.goal === goal);
  const worst = (goal: "list" | "open") => Math.max(...group(goal).map((r) => r.p95));
  const passes = (goal: "list" | "open") => group(goal).every((r) => r.pass);
  console.log(`\nms, one request at a time over keep-alive on 127.0.0.1 (time to the last byte); no Server-Timing header from the app unless noted.`);
  console.log(`${verdict(passes("list"))}  conversations list opens in ≤ ${GOAL_MS} ms (worst p95 ${fmt(worst("list"))} ms)`);
  console.log(`${verdict(passes("open"))}  a conversation opens in ≤ ${GOAL_MS} ms (worst p95 ${fmt(worst("open"))} ms, largest conversation ${s.biggest} messages)`);
  const loadAfter = loadavg();
  console.log(`load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")} (shared machine: figures move with it)`);
  console.log(machineLine());

  const log = summarizeLog(setup.logFile("next"));
  if (log.warn + log.error > 0) console.log(`server log: ${log.warn} warnings, ${log.error} errors — ${log.top.map((l) => `${l.count}× ${l.line}`).join("; ")}`);
  const file = writeResults("dashboard", setup.stamp, { messages: Number(s.messages), conversations: Number(s.conversations), largest: Number(s.biggest), samples: SAMPLES, warmup: WARMUP, goalMs: GOAL_MS, results, loadBefore, loadAfter });
  console.log(`results: ${file}`);
  agent.destroy();
}

await runBench(main, { timeoutMs: 20 * 60_000 });
