import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { trackGroup, untrackGroup } from "@/bench/lib/cleanup";

// Child processes for the benches: long-running servers in their own process group (so stopping
// them stops every process they forked), and short commands whose output we read.

export interface GroupProcess {
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or signal) once the group leader has exited. */
  exited: Promise<string>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the leader is gone. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL to the whole group at once (a crash, as far as the app can tell). */
  kill(): Promise<void>;
}

/** Starts `command` as the leader of a new process group, its output appended to `logFile`. */
export function spawnGroup(command: string, args: string[], options: { env: NodeJS.ProcessEnv; logFile: string; cwd?: string }): GroupProcess {
  const log = openSync(options.logFile, "a");
  const child = spawn(command, args, { cwd: options.cwd ?? process.cwd(), env: options.env, detached: true, stdio: ["ignore", log, log] });
  closeSync(log); // the child holds its own copy
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const pid = child.pid;
  trackGroup(pid);
  const exited = new Promise<string>((resolve) => child.once("exit", (code, signal) => resolve(signal ?? `exit ${code}`)));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  };
  const settle = async () => {
    signalGroup("SIGKILL"); // anything the leader left behind in its group
    untrackGroup(pid);
  };
  return {
    pid,
    child,
    exited,
    async stop(graceMs = 5_000) {
      signalGroup("SIGTERM");
      await Promise.race([exited, sleep(graceMs)]);
      await settle();
      await Promise.race([exited, sleep(2_000)]);
    },
    async kill() {
      signalGroup("SIGKILL");
      await Promise.race([exited, sleep(5_000)]);
      await settle();
    },
  };
}

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a short command in its own process group; kills the group if it outlives `timeoutMs`. */
export function runCommand(command: string, args: string[], options: { env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<CommandResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    if (child.pid === undefined) return reject(new Error(`could not start ${command}`));
    const pid = child.pid;
    trackGroup(pid);
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    const timer = setTimeout(() => {
      stderr += `\n[bench] killed after ${options.timeoutMs} ms`;
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // gone
      }
    }, options.timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      untrackGroup(pid);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** A TCP port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
