import { env } from "@/lib/env";

/** Whether a request comes from this site's own pages (CSRF check): its Origin must be this origin. */
export function isSameOrigin(request: Request, options: { allowMissing?: boolean } = {}): boolean {
  const origin = request.headers.get("origin");
  if (!origin) return options.allowMissing ?? false;
  const url = new URL(request.url);
  const allowed = new Set([url.origin]);
  if (env.APP_URL) allowed.add(new URL(env.APP_URL).origin);
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (host) allowed.add(`${request.headers.get("x-forwarded-proto") ?? url.protocol.replace(":", "")}://${host}`);
  return allowed.has(origin);
}

/** Cookies get Secure when the request reached us over HTTPS (production behind TLS). */
export function isHttps(request: Request): boolean {
  return (request.headers.get("x-forwarded-proto") ?? new URL(request.url).protocol.replace(":", "")) === "https";
}
