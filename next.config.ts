import type { NextConfig } from "next";
// Importing the env module here makes a bad configuration fail `next build` and `next start` early.
import "./lib/env";
import { API_CSP, HSTS, STATIC_SECURITY_HEADERS } from "./lib/http/security-headers";

const nextConfig: NextConfig = {
  // PGlite ships WebAssembly and data files that must be loaded by Node, not bundled.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter", "pino", "pino-pretty"],
  poweredByHeader: false,
  // Static security headers, here rather than in proxy.ts: the proxy does not run on /api (it would
  // buffer every request body before the route's own limits apply: see proxy.ts), and these cost nothing
  // per request. The pages' CSP has a per-request nonce and comes from proxy.ts.
  async headers() {
    return [
      { source: "/:path*", headers: STATIC_SECURITY_HEADERS },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: "https" }], headers: [HSTS] },
      { source: "/api/:path*", headers: [API_CSP] },
    ];
  },
};

export default nextConfig;
