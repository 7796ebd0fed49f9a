import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createClient, MultiErrorReply } from "redis";
import { secureCompare } from "@/lib/http/secure-compare";

// Test-only: speaks Upstash's REST protocol in front of a TCP Redis, so the @upstash/redis code
// path runs against a real Redis. What @upstash/redis 1.x sends and expects:
// - POST <url>/ with a JSON command array (`["set","k","v","nx","px",5000]`; numbers stay numbers)
//   → `{ result }`, or HTTP 400 `{ error }` (the client throws `UpstashError` with that text);
// - POST /pipeline and /multi-exec with an array of command arrays → `[{ result } | { error }]`.
//   Auto-pipelining is on by default, so even single calls usually arrive on /pipeline;
// - `Authorization: Bearer <token>`; `Upstash-Encoding: base64` (the default) asks for every string
//   in a result base64-encoded, except the status "OK" which the client passes through as is;
// - EVAL/EVALSHA are plain commands (`["eval", script, numkeys, ...keys, ...args]`); createScript()
//   tries EVALSHA and falls back to EVAL when the error text contains "NOSCRIPT".

type Arg = string | number | boolean;
type Reply = string | number | null | Reply[];
type Item = { result: unknown } | { error: string };

export type UpstashBridge = { url: string; close(): Promise<void> };

const isCommand = (x: unknown): x is Arg[] =>
  Array.isArray(x) && x.length > 0 && x.every((a) => ["string", "number", "boolean"].includes(typeof a));

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));

function encode(reply: Reply): unknown {
  if (typeof reply === "string") return reply === "OK" ? reply : Buffer.from(reply).toString("base64");
  return Array.isArray(reply) ? reply.map(encode) : reply;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

export async function startUpstashBridge({ redisUrl, token }: { redisUrl: string; token: string }): Promise<UpstashBridge> {
  // RESP2, as Upstash answers (flat arrays, no maps).
  const redis = createClient({ url: redisUrl, RESP: 2 });
  redis.on("error", () => {}); // surfaced per request instead
  await redis.connect();

  const run = async (command: Arg[]): Promise<Reply> => redis.sendCommand<Reply>(command.map(String));

  async function multiExec(commands: Arg[][]): Promise<Item[]> {
    const multi = redis.multi();
    for (const c of commands) multi.addCommand(c.map(String));
    try {
      return (await multi.exec()).map((r) => ({ result: r }));
    } catch (err) {
      if (!(err instanceof MultiErrorReply)) throw err;
      const failed = new Set(err.errorIndexes);
      return err.replies.map((r, i) => (failed.has(i) ? { error: errorText(r) } : { result: r }));
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization;
    if (!secureCompare(auth, `Bearer ${token}`)) return send(res, 401, { error: "Unauthorized" });
    if (req.method !== "POST") return send(res, 405, { error: "Method not allowed" });

    const base64 = String(req.headers["upstash-encoding"]).toLowerCase() === "base64";
    const out = (item: Item): Item => ("result" in item && base64 ? { result: encode(item.result as Reply) } : item);
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      return send(res, 400, { error: "ERR failed to parse request body" });
    }

    const path = (req.url ?? "/").split("?")[0];
    if (path === "/pipeline" || path === "/multi-exec") {
      if (!Array.isArray(body) || body.length === 0 || !body.every(isCommand)) {
        return send(res, 400, { error: "ERR expected an array of commands" });
      }
      try {
        const items: Item[] =
          path === "/multi-exec"
            ? await multiExec(body)
            : (await Promise.allSettled(body.map(run))).map((s) =>
                s.status === "fulfilled" ? { result: s.value } : { error: errorText(s.reason) },
              );
        return send(res, 200, items.map(out));
      } catch (err) {
        return send(res, 400, { error: errorText(err) });
      }
    }
    if (path !== "/") return send(res, 404, { error: "Not found" });
    if (!isCommand(body)) return send(res, 400, { error: "ERR expected a command array" });
    try {
      return send(res, 200, out({ result: await run(body) }));
    } catch (err) {
      return send(res, 400, { error: errorText(err) });
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => send(res, 500, { error: errorText(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections(); // the client's keep-alive sockets would hold close() open
      await new Promise<void>((resolve) => server.close(() => resolve()));
      redis.destroy();
    },
  };
}
