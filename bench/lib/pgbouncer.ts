import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { onCleanup } from "@/bench/lib/cleanup";
import { freePort, spawnGroup } from "@/bench/lib/processes";

// A transaction-pooling PgBouncer in front of the local PostgreSQL, the way serverless platforms'
// poolers (Supabase's, Neon's, RDS Proxy in its strictest mode) hand connections out: a server
// connection belongs to a client for one transaction only, so session state — LISTEN, session
// advisory locks, named prepared statements, SET — does not follow the client.
// Debian's package (`apt-get install pgbouncer`, 1.18 on Debian 12) is optional: without it the
// benches say "skipped". It refuses to run as root, hence `-u postgres` and a world-writable folder.

const CANDIDATES = ["/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"];

export interface Bouncer {
  /** `url` with host and port swapped for the bouncer's. */
  urlFor(url: string): string;
  version: string;
  stop(): Promise<void>;
}

export function pgbouncerBinary(): string | null {
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Starts PgBouncer (pool_mode = transaction, `poolSize` server connections per database) or returns null if it is not installed. */
export async function startTransactionPooler(options: { poolSize: number; logFile: string }): Promise<Bouncer | null> {
  const binary = pgbouncerBinary();
  if (!binary) return null;
  const dir = mkdtempSync(path.join(tmpdir(), "bench-pgbouncer-"));
  chmodSync(dir, 0o777);
  const port = await freePort();
  const ini = path.join(dir, "pgbouncer.ini");
  writeFileSync(
    ini,
    [
      "[databases]",
      "* = host=127.0.0.1 port=5432 user=postgres",
      "[pgbouncer]",
      "listen_addr = 127.0.0.1",
      `listen_port = ${port}`,
      "unix_socket_dir =",
      "auth_type = any",
      "pool_mode = transaction",
      `default_pool_size = ${options.poolSize}`,
      "max_client_conn = 500",
      `pidfile = ${path.join(dir, "pgbouncer.pid")}`,
      "",
    ].join("\n"),
  );
  const child = spawnGroup(binary, ["-u", "postgres", ini], { env: process.env, logFile: options.logFile });
  const stop = onCleanup("pgbouncer", async () => {
    await child.stop(3_000);
    rmSync(dir, { recursive: true, force: true });
  });
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  for (let i = 0; ; i++) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query("SELECT 1");
      break;
    } catch (err) {
      if (i >= 40) {
        await stop();
        throw new Error(`pgbouncer did not answer on port ${port}: ${(err as Error).message} (log: ${options.logFile})`);
      }
      await sleep(100);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return {
    version: execFileSync(binary, ["--version"], { encoding: "utf8" }).split("\n")[0]!.trim(),
    urlFor(target: string) {
      const u = new URL(target);
      u.host = `127.0.0.1:${port}`;
      return u.toString();
    },
    stop,
  };
}
