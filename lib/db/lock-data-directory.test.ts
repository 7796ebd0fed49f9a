import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DataDirectoryBusyError, lockDataDirectory, lockFileFor } from "@/lib/db/lock-data-directory";

describe("lockDataDirectory", () => {
  const root = mkdtempSync(path.join(tmpdir(), "whatrack-lock-"));
  const dataDir = path.join(root, "pglite");
  const lockFile = lockFileFor(dataDir);
  afterEach(() => rmSync(lockFile, { force: true }));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("writes this process's pid beside the directory, and removes it on release", () => {
    const release = lockDataDirectory(dataDir);
    expect(lockFile).toBe(`${dataDir}.lock`);
    expect(readFileSync(lockFile, "utf8").split(" ")[0]).toBe(String(process.pid));
    release();
    expect(existsSync(lockFile)).toBe(false);
  });

  it("refuses while a live process holds it, naming the process", () => {
    writeFileSync(lockFile, `${process.ppid}\n`);
    expect(() => lockDataDirectory(dataDir)).toThrow(DataDirectoryBusyError);
    expect(() => lockDataDirectory(dataDir)).toThrow(`in use by process ${process.ppid}`);
    expect(readFileSync(lockFile, "utf8")).toBe(`${process.ppid}\n`);
  });

  it("takes over a lock whose process is gone", () => {
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(lockFile, `${gone}\n`);
    lockDataDirectory(dataDir)();
    expect(existsSync(lockFile)).toBe(false);
  });

  it.skipIf(!existsSync("/proc/self/stat"))("takes over a lock whose pid now belongs to another process (reused)", () => {
    writeFileSync(lockFile, `${process.ppid} not-the-same-boot/1\n`);
    const release = lockDataDirectory(dataDir);
    expect(readFileSync(lockFile, "utf8").split(" ")[0]).toBe(String(process.pid));
    release();
  });
});
