// Our security headers, in one place. Static ones go on every response through next.config.ts's
// headers() (free per request, and they reach the routes proxy.ts does not run on: the API and the
// webhook); the pages' CSP carries a per-request nonce, so proxy.ts builds it.

type Header = { key: string; value: string };

/** On every response: pages, API routes, the webhook route, static files. */
export const STATIC_SECURITY_HEADERS: Header[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // frame-ancestors 'none' (CSP) is the modern form; X-Frame-Options covers browsers that predate it.
  { key: "X-Frame-Options", value: "DENY" },
  // Other sites learn nothing, not even which deployment (which business) a visitor came from. Not
  // no-referrer: under it a native form post carries `Origin: null`, which the CSRF check refuses.
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/**
 * Only over HTTPS, which `next start` never terminates itself: the TLS proxy in front of it (or Vercel)
 * says so in x-forwarded-proto. A forged header on plain HTTP is harmless: browsers ignore HSTS there.
 */
export const HSTS: Header = { key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" };

/** API responses are JSON: opened as a document, they may load and run nothing, nor be framed. */
export const API_CSP: Header = { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'" };

/**
 * A page's CSP. Scripts need this response's nonce (Next puts it on its own script tags, which it reads
 * from this header on the request) and may load further scripts ('strict-dynamic'): an injected
 * <script> or inline handler runs nowhere. Style elements need the nonce too; style *attributes* are
 * allowed ('unsafe-inline' on style-src-attr) because React renders some (skeleton widths, charts) and
 * CSS in an attribute cannot run script. Development adds what `next dev` needs (eval for React's
 * error overlay, its unnonced styles).
 */
export function pageContentSecurityPolicy({ nonce, https, dev }: { nonce: string; https: boolean; dev: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** A fresh nonce per page response: 128 random bits, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
