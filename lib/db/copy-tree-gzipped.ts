import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";

// A directory tree copied file by file through gzip, and back. Backups of the embedded database use
// it: a plain tree (inspectable with zcat, no archive format to get wrong), a fraction of the size
// (PostgreSQL's 16 MB WAL segments and half-empty pages compress well). Empty directories are kept:
// PostgreSQL refuses a data directory without them.

/** Copies `from` into `to` (created) with every file gzipped (`name.gz`); returns the bytes written. */
export async function gzipTree(from: string, to: string): Promise<number> {
  let bytes = 0;
  await walk(from, to, async (source, target) => {
    const out = createWriteStream(`${target}.gz`);
    await pipeline(createReadStream(source), createGzip({ level: 1 }), out);
    bytes += out.bytesWritten;
  });
  return bytes;
}

/** The reverse of gzipTree. */
export async function gunzipTree(from: string, to: string): Promise<void> {
  await walk(from, to, async (source, target) => {
    if (!source.endsWith(".gz")) throw new Error(`not a gzipped backup file: ${source}`);
    await pipeline(createReadStream(source), createGunzip(), createWriteStream(target.slice(0, -3)));
  });
}

async function walk(from: string, to: string, copyFile: (source: string, target: string) => Promise<void>): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) await walk(source, target, copyFile);
    else if (entry.isFile()) await copyFile(source, target);
  }
}
