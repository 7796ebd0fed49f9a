import type { NextConfig } from "next";
// Importing the env module here makes a bad configuration fail `next build` and `next start` early.
import "./lib/env";

const nextConfig: NextConfig = {
  // PGlite ships WebAssembly and data files that must be loaded by Node, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pino", "pino-pretty"],
  poweredByHeader: false,
};

export default nextConfig;
