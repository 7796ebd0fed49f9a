import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";

// Starts the built app with `next start` — with the test's environment (its database, Redis,
// secrets) plus `env` — in its own process group, so stopping it (or kill -9) takes next-server
// with it (PLATFORM.md: killing `npx next start` can leave next-server running).

export type NextServer = { url: string; pid: number; output: () => string; stop(signal?: NodeJS.Signals): Promise<void> };

export async function startNextServer(options: { port: number; env: Record<string, string | undefined>; timeoutMs?: number }): Promise<NextServer> {
  if (!existsSync(".next/BUILD_ID")) throw new Error("no build: run `npm run build` first");
  const child: ChildProcess = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(options.port), "-H", "127.0.0.1"], {
    env: { ...process.env, ...options.env, NODE_ENV: "production" },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;

  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    }
    await exited;
  };

  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    try {
      if ((await fetch(`${url}/api/ping`)).ok) return { url, pid: child.pid!, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop("SIGKILL");
  throw new Error(`next start did not answer within the timeout:\n${output}`);
}
