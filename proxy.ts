import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE } from "@/lib/auth/session-token";
import { isHttps } from "@/lib/http/is-same-origin";
import { REQUEST_ID_HEADER, requestIdOf } from "@/lib/http/request-id";
import { newNonce, pageContentSecurityPolicy } from "@/lib/http/security-headers";

// Pages only. For each page request: a request id, the CSP with this response's nonce, and a
// signed-out visitor sent to sign-in before anything renders. The redirect looks only for the
// cookie: whether the session is alive is decided by the page itself (getPageSession), as every API
// route decides in its wrapper. The static security headers come from next.config.ts.

const SIGNED_OUT_PAGES = new Set(["/sign-in", "/sign-up"]);

export function proxy(request: NextRequest): NextResponse {
  const requestId = requestIdOf(request.headers);
  const { pathname, search } = request.nextUrl;

  if (!SIGNED_OUT_PAGES.has(pathname) && !request.cookies.has(SESSION_COOKIE)) {
    const signIn = new URL("/sign-in", request.url);
    if (pathname !== "/") signIn.searchParams.set("next", `${pathname}${search}`);
    const redirect = NextResponse.redirect(signIn, 307);
    redirect.headers.set(REQUEST_ID_HEADER, requestId);
    return redirect;
  }

  const csp = pageContentSecurityPolicy({ nonce: newNonce(), https: isHttps(request), dev: process.env.NODE_ENV === "development" });
  // Next reads the nonce from the request's CSP header and puts it on the scripts it renders.
  const forwarded = new Headers(request.headers);
  forwarded.set("content-security-policy", csp);
  forwarded.set(REQUEST_ID_HEADER, requestId);
  const response = NextResponse.next({ request: { headers: forwarded } });
  response.headers.set("content-security-policy", csp);
  response.headers.set(REQUEST_ID_HEADER, requestId);
  return response;
}

export const config = {
  // Not /api: Next hands a proxy every request body, buffered in memory (up to 10 MB) and read to its
  // end before the route starts, which would undo the routes' own body limits and deadlines
  // (lib/http/read-body.ts) — on the webhook route above all — and tax the hot path. Nor static files.
  matcher: ["/((?!api/|_next/static/|_next/image|favicon.ico).*)"],
};
