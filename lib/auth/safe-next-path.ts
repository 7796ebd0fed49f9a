/**
 * Where to go after signing in (`/sign-in?next=…`, set by proxy.ts): a path on this site, or "/".
 * Anything that could leave the site — another origin, a protocol-relative `//host`, a backslash
 * that browsers read as a slash, a `javascript:` URL — falls back to "/": no open redirect.
 */
export function safeNextPath(next: string | string[] | undefined | null): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//") || next.includes("\\")) return "/";
  try {
    const base = "http://whatrack.invalid";
    const url = new URL(next, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}
