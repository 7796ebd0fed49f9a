import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

// One process per PGlite data directory: a second one silently loses writes. PGlite's own
// postmaster.pid cannot tell us who holds the directory (it always records pid -42, the process
// inside WebAssembly), so we keep a lock file beside the directory with the real pid.

export class DataDirectoryBusyError extends Error {}

export function lockFileFor(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, "")}.lock`;
}

/** Takes the lock, or throws DataDirectoryBusyError naming the live holder. Returns the release. */
export function lockDataDirectory(dataDir: string): () => void {
  const file = lockFileFor(dataDir);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, "wx");
      try {
        writeSync(fd, `${process.pid} ${processIdentity(process.pid) ?? ""}\n`);
      } finally {
        closeSync(fd);
      }
      return () => {
        if (readHolder(file)?.pid === process.pid) rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readHolder(file);
      if (attempt > 0 || (holder && holder.pid !== process.pid && isAlive(holder))) {
        throw new DataDirectoryBusyError(
          `The embedded database in ${dataDir} is in use by process ${holder?.pid ?? "(starting)"}: stop it first (one process per data directory). ` +
            `If no WhaTrack process is running, delete ${file}.`,
        );
      }
      // Left by a process that is gone (or by this one, reopening): take it over.
      rmSync(file, { force: true });
    }
  }
}

type Holder = { pid: number; identity: string | null };

function readHolder(file: string): Holder | null {
  try {
    const [pid, identity] = readFileSync(file, "utf8").trim().split(/\s+/);
    const n = Number.parseInt(pid ?? "", 10);
    return Number.isInteger(n) && n > 0 ? { pid: n, identity: identity || null } : null;
  } catch {
    return null;
  }
}

function isAlive(holder: Holder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  // A recycled pid (after a reboot, or in a fresh container) must not keep the lock forever: where
  // Linux tells us, the pid must still belong to the process that took the lock.
  const now = processIdentity(holder.pid);
  return !holder.identity || !now || now === holder.identity;
}

/** Boot id and start time of a process (Linux), unique across pid reuse; null elsewhere. */
function processIdentity(pid: number): string | null {
  try {
    const bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim();
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name, which may itself hold spaces: starttime is field 22.
    const startTime = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return startTime ? `${bootId}/${startTime}` : null;
  } catch {
    return null;
  }
}
