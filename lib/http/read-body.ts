import { AppError } from "@/lib/http/app-error";

export type BodyLimits = {
  /** Largest body accepted; a larger one is refused (413) as soon as it crosses the limit. */
  maxBytes: number;
  /** Time the whole body may take to arrive; a slower one is cut (408) instead of holding a socket for minutes. */
  timeoutMs: number;
};

/**
 * Reads a request's body within limits, counting bytes as they arrive: a body announced too large
 * (Content-Length) or streamed past the limit without one is refused at once, and one that trickles
 * in is cut at the deadline — so memory and sockets stay bounded whatever a client sends.
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limits.maxBytes) throw tooLarge(limits);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("request_timeout", `The request body did not arrive within ${limits.timeoutMs / 1000} s`)), limits.timeoutMs);
  });
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      size += value.byteLength;
      if (size > limits.maxBytes) throw tooLarge(limits);
      chunks.push(value);
    }
  } catch (err) {
    // Not awaited: the framework's body stream only settles the cancel once its source ends, which
    // a stalled client never does. The answer goes out now.
    reader.cancel().catch(() => undefined);
    throw err;
  } finally {
    clearTimeout(timer);
  }
  if (chunks.length === 1) return chunks[0]!;
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

const tooLarge = (limits: BodyLimits) => new AppError("payload_too_large", `The request body is larger than ${limits.maxBytes} bytes`);
