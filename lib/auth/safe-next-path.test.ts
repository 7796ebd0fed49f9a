import { describe, expect, it } from "vitest";
import { safeNextPath } from "@/lib/auth/safe-next-path";

describe("safeNextPath", () => {
  it("keeps a path on this site, with its query", () => {
    expect(safeNextPath("/conversations?q=dana")).toBe("/conversations?q=dana");
    expect(safeNextPath("/connections/abc123")).toBe("/connections/abc123");
  });

  it("falls back to / for anything that could leave the site, or nothing at all", () => {
    for (const next of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "javascript:alert(1)", "/%5Cevil.example", "", "conversations", undefined, null, ["/a", "/b"]]) {
      const safe = safeNextPath(next);
      expect(safe === "/" || (safe.startsWith("/") && !safe.startsWith("//")), String(next)).toBe(true);
      expect(new URL(safe, "http://app.example").origin, String(next)).toBe("http://app.example");
    }
    expect(safeNextPath("//evil.example/x")).toBe("/");
    expect(safeNextPath("/\\evil.example")).toBe("/");
  });
});
