import { AppError } from "@/lib/http/app-error";

/**
 * Reads a request's body up to `limitBytes`, counting as it goes: a larger body — announced by
 * Content-Length or streamed without one — is refused (413) as soon as it crosses the limit,
 * so memory stays bounded whatever a client sends.
 */
export async function readBody(request: Request, limitBytes: number): Promise<Uint8Array> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > limitBytes) throw new AppError("payload_too_large", `Body larger than ${limitBytes} bytes`);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel().catch(() => undefined);
      throw new AppError("payload_too_large", `Body larger than ${limitBytes} bytes`);
    }
    chunks.push(value);
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
