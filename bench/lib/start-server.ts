import { existsSync, statSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { onCleanup } from "@/bench/lib/cleanup";
import { runCommand, spawnGroup, type GroupProcess } from "@/bench/lib/processes";

// `next start` the way PLATFORM.md asks: plain node on Next's bin, in its own process group,
// stopped by group. Builds first only when there is no production build.

const NEXT_BIN = path.join("node_modules", "next", "dist", "bin", "next");
const BUILD_ID = path.join(".next", "BUILD_ID");

export interface RunningServer {
  url: string;
  port: number;
  process: GroupProcess;
  stop(): Promise<void>;
}

/** Builds with `npm run build` if `.next` holds no production build (or `force`); returns a description. */
export async function ensureBuild(env: NodeJS.ProcessEnv, force = false): Promise<string> {
  if (!force && existsSync(BUILD_ID)) {
    const age = Math.round((Date.now() - statSync(BUILD_ID).mtimeMs) / 60_000);
    return `existing build (${age} min old; --build to rebuild)`;
  }
  console.log("building the app (npm run build)…");
  const result = await runCommand("npm", ["run", "build"], { env, timeoutMs: 300_000 });
  if (result.code !== 0) throw new Error(`npm run build failed:\n${(result.stdout + result.stderr).slice(-4000)}`);
  return `fresh build (${(result.ms / 1000).toFixed(1)} s)`;
}

/** GETs `url` until it answers 200, or throws after `timeoutMs` / when `gone` settles first. */
export async function waitForOk(url: string, timeoutMs: number, gone?: Promise<string>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | null = null;
  void gone?.then((how) => (exited = how));
  let last = "no answer";
  while (Date.now() < deadline) {
    if (exited) throw new Error(`server exited (${exited}) before ${url} answered 200`);
    last = await getStatus(url).then(String, (err: Error) => err.message);
    if (last === "200") return;
    await sleep(200);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last: ${last})`);
}

function getStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", agent: false, timeout: 3_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

/** `next start` on 127.0.0.1:port, waiting for /api/health 200; stopped by the bench's cleanup. */
export async function startNextServer(options: { port: number; env: NodeJS.ProcessEnv; logFile: string; nodeArgs?: string[] }): Promise<RunningServer> {
  const group = spawnGroup(process.execPath, [...(options.nodeArgs ?? []), NEXT_BIN, "start", "-p", String(options.port), "-H", "127.0.0.1"], {
    env: options.env,
    logFile: options.logFile,
  });
  const stopNow = onCleanup(`next start (pid ${group.pid})`, () => group.stop());
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitForOk(`${url}/api/health`, 60_000, group.exited);
  } catch (err) {
    await stopNow();
    throw new Error(`${err instanceof Error ? err.message : String(err)} — see ${options.logFile}`);
  }
  return { url, port: options.port, process: group, stop: stopNow };
}
