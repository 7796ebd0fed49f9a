import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { gunzipTree, gzipTree } from "@/lib/db/copy-tree-gzipped";

describe("gzipTree / gunzipTree", () => {
  it("round-trips files and keeps empty directories, in a fraction of the size", async () => {
    const root = mkdtempSync(path.join(tmpdir(), "whatrack-gz-"));
    const from = path.join(root, "from");
    mkdirSync(path.join(from, "base", "5"), { recursive: true });
    mkdirSync(path.join(from, "pg_tblspc"));
    writeFileSync(path.join(from, "PG_VERSION"), "18\n");
    writeFileSync(path.join(from, "base", "5", "1259"), Buffer.alloc(1 << 20, 7));

    const bytes = await gzipTree(from, path.join(root, "backup"));
    expect(readdirSync(path.join(root, "backup")).sort()).toEqual(["PG_VERSION.gz", "base", "pg_tblspc"]);
    expect(bytes).toBeLessThan(1 << 16);

    await gunzipTree(path.join(root, "backup"), path.join(root, "back"));
    expect(readFileSync(path.join(root, "back", "PG_VERSION"), "utf8")).toBe("18\n");
    expect(readFileSync(path.join(root, "back", "base", "5", "1259")).equals(Buffer.alloc(1 << 20, 7))).toBe(true);
    expect(existsSync(path.join(root, "back", "pg_tblspc"))).toBe(true);
    rmSync(root, { recursive: true, force: true });
  });
});
