import type { Logger } from "pino";
import { getConnectionOrThrow } from "@/lib/connections/get-connection-or-throw";
import { openToken } from "@/lib/crypto/token-vault";
import { AppError } from "@/lib/http/app-error";
import { baseMimeType, bytesMatchType, MEDIA_RULES } from "@/lib/media/media-types";
import type { MediaForm } from "@/lib/media/read-media-form";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";
import { uploadMedia as uploadToGraph } from "@/lib/whatsapp/graph-client";
import { GraphError } from "@/lib/whatsapp/graph-error";

export type UploadedMedia = { id: string; mimeType: string; size: number };

const MB = 1024 * 1024;
const describeBytes = (n: number) => (n >= MB ? `${n / MB} MB` : `${n / 1024} KB`);

/**
 * Uploads a file for one of the workspace's numbers to Graph (`POST /{phone-number-id}/media`) and answers
 * the media id a send can name (Meta keeps the file 30 days). The type must be one WhatsApp takes (400),
 * its first bytes must fit it (400), and its size its type's limit (413). Nothing is stored here.
 */
export async function uploadMedia(db: ScopedDb, form: MediaForm, log: Logger): Promise<UploadedMedia> {
  const mimeType = baseMimeType(form.file.type);
  const rule = MEDIA_RULES[mimeType];
  if (!rule) throw new AppError("bad_request", `WhatsApp does not take files of type "${mimeType || "unknown"}": send JPEG or PNG images, WebP stickers, AAC/AMR/MP3/M4A/OGG audio, MP4/3GP video, or PDF, text and Office documents`);
  if (form.file.size === 0) throw new AppError("bad_request", "The file is empty");
  if (form.file.size > rule.maxBytes) throw new AppError("payload_too_large", `A ${rule.kind} may be at most ${describeBytes(rule.maxBytes)}; this file is ${form.file.size} bytes`);
  if (!bytesMatchType(mimeType, new Uint8Array(await form.file.slice(0, 16).arrayBuffer()))) {
    throw new AppError("bad_request", `The file's content is not ${mimeType}`);
  }

  const connection = await getConnectionOrThrow(db, form.connectionId);
  if (connection.status === "REMOVED" || !connection.token) throw new AppError("unprocessable_entity", "This number is disconnected: connect it again to upload media");
  const token = openToken(connection.token, connection.workspaceId);
  try {
    const { id } = await uploadToGraph({ token, phoneNumberId: connection.phoneNumberId, file: form.file, filename: form.filename, mimeType });
    return { id, mimeType, size: form.file.size };
  } catch (err) {
    if (!(err instanceof GraphError)) throw err;
    log.warn({ connectionId: connection.id, kind: err.kind, code: err.code, fbtraceId: err.fbtraceId }, "media upload refused by Graph");
    const says = (err.title ?? err.details ?? err.message).split(token).join("[redacted]");
    if (err.kind === "throttled") throw new AppError("rate_limited", `Meta is rate-limiting this number: ${says}. Try again in a minute.`);
    throw new AppError("bad_gateway", `Meta did not take the file: ${says}${err.code != null ? ` (Graph error ${err.code})` : ""}`);
  }
}
