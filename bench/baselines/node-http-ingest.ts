// The ingest baseline for bench/ingest.ts: the least a receiver must do before answering Meta 200 —
// read the raw body, verify X-Hub-Signature-256 in constant time, insert it into "WebhookEvent"
// (same table, same ON CONFLICT on the body hash) — on plain node:http + pg, and nothing else.
// Env: DATABASE_URL, WHATSAPP_APP_SECRET, PORT (0 = any), DATABASE_POOL_SIZE (default 10, as the app).
// Prints "listening <port>" once ready.
import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import pg from "pg";

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is required`);
    process.exit(1);
  }
  return value;
}

const appSecret = required("WHATSAPP_APP_SECRET");
const pool = new pg.Pool({ connectionString: required("DATABASE_URL"), max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

const INSERT = `INSERT INTO "WebhookEvent" (id, "rawBody", "bodySha256", "signatureValid")
  VALUES ($1, $2, $3, true)
  ON CONFLICT ("bodySha256") DO UPDATE SET deliveries = "WebhookEvent".deliveries + 1, "lastReceivedAt" = CURRENT_TIMESTAMP
  RETURNING id`;

function validSignature(body: Buffer, header: string | undefined): boolean {
  const hex = header ? SIGNATURE.exec(header)?.[1] : undefined;
  if (!hex) return false;
  const given = Buffer.from(hex, "hex");
  const expected = createHmac("sha256", appSecret).update(body).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== "POST") return reply(res, 405, `{"error":"method"}`);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (!validSignature(body, req.headers["x-hub-signature-256"] as string | undefined)) return reply(res, 401, `{"error":"signature"}`);
  const sha256 = createHash("sha256").update(body).digest("hex");
  try {
    await pool.query(INSERT, [randomUUID(), body, sha256]);
  } catch {
    return reply(res, 503, `{"error":"unavailable"}`);
  }
  reply(res, 200, `{"received":true}`);
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => reply(res, 500, `{"error":"internal"}`));
});
server.keepAliveTimeout = 30_000;
server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  const address = server.address();
  console.log(`listening ${typeof address === "object" && address ? address.port : "?"}`);
});
