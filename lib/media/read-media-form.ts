import { z } from "zod";
import { AppError } from "@/lib/http/app-error";
import { readBody } from "@/lib/http/read-body";
import { MAX_MEDIA_BYTES } from "@/lib/media/media-types";

// The multipart upload's body, bounded like every body (lib/http/read-body.ts): at most the largest file
// Meta takes plus room for the form's other parts and boundaries, then 413 at once; a body trickling in
// slower than this is cut (408) rather than holding the function.
const FORM_OVERHEAD_BYTES = 64 * 1024;
const MEDIA_BODY_LIMITS = { maxBytes: MAX_MEDIA_BYTES + FORM_OVERHEAD_BYTES, timeoutMs: 120_000 };

export const mediaFormSchema = z.object({
  connectionId: z.string().min(1).max(64).describe("The number the file is uploaded for (media ids belong to a number)"),
  file: z.instanceof(Blob).describe("The file (binary): JPEG/PNG ≤ 5 MB, WebP sticker ≤ 500 KB, audio/video ≤ 16 MB, documents ≤ 100 MB"),
});

export type MediaForm = { connectionId: string; file: Blob; filename: string };

/** `connectionId` and `file` from a multipart/form-data request; anything else is a 400. */
export async function readMediaForm(request: Request): Promise<MediaForm> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data;/i.test(contentType)) throw new AppError("bad_request", "Send the file as multipart/form-data with the fields connectionId and file");
  const body = await readBody(request, MEDIA_BODY_LIMITS);
  let form: FormData;
  try {
    // A view, not a copy (the body may be 100 MB); readBody's buffers are plain ArrayBuffers.
    const bytes = new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.byteLength);
    form = await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw new AppError("bad_request", "The request body is not valid multipart/form-data");
  }
  const parsed = mediaFormSchema.safeParse({ connectionId: form.get("connectionId") ?? undefined, file: form.get("file") ?? undefined });
  if (!parsed.success) throw new AppError("bad_request", `Send the fields connectionId and file: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const file = parsed.data.file;
  return { connectionId: parsed.data.connectionId, file, filename: file instanceof File && file.name ? file.name : "file" };
}
