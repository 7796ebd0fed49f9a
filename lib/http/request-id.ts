// Request ids: the one a load balancer or client sent, if it looks like an id, else a fresh UUID.
// Every response carries it back as x-request-id, and the wrappers' loggers log it, so a report
// ("request lb-42 failed") finds its log lines. Pages get theirs from proxy.ts; API routes from
// withRequestId, which every route wrapper (and the few routes without one) goes through.

export const REQUEST_ID_HEADER = "x-request-id";
// Bounded and plain, so a caller cannot put markup, newlines or kilobytes into our logs.
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

export function requestIdOf(headers: Headers): string {
  const incoming = headers.get(REQUEST_ID_HEADER);
  return incoming && WELL_FORMED.test(incoming) ? incoming : crypto.randomUUID();
}

/** Puts the id on a response; copies it first if its headers are immutable (Response.redirect(), fetch()). */
export function withRequestIdHeader(response: Response, requestId: string): Response {
  try {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(REQUEST_ID_HEADER, requestId);
    return copy;
  }
}

/** A route handler that knows its request id and answers with it. */
export function withRequestId<Rest extends unknown[]>(handler: (request: Request, requestId: string, ...rest: Rest) => Response | Promise<Response>) {
  return async (request: Request, ...rest: Rest): Promise<Response> => {
    const requestId = requestIdOf(request.headers);
    return withRequestIdHeader(await handler(request, requestId, ...rest), requestId);
  };
}
