// The files WhatsApp takes (Meta's "Supported media types", 2026) and the largest each may be. Meta
// refuses anything else at send time; checking here turns that into a clear 400/413 before any upload.

const MB = 1024 * 1024;

export type MediaKind = "image" | "sticker" | "audio" | "video" | "document";

type MediaRule = { kind: MediaKind; maxBytes: number; extensions: string[] };

export const MEDIA_RULES: Record<string, MediaRule> = {
  "image/jpeg": { kind: "image", maxBytes: 5 * MB, extensions: ["jpg", "jpeg"] },
  "image/png": { kind: "image", maxBytes: 5 * MB, extensions: ["png"] },
  // Stickers: 100 KB static, 500 KB animated; the larger bound is checked here, Meta checks the rest.
  "image/webp": { kind: "sticker", maxBytes: 500 * 1024, extensions: ["webp"] },
  "audio/aac": { kind: "audio", maxBytes: 16 * MB, extensions: ["aac"] },
  "audio/amr": { kind: "audio", maxBytes: 16 * MB, extensions: ["amr"] },
  "audio/mpeg": { kind: "audio", maxBytes: 16 * MB, extensions: ["mp3"] },
  "audio/mp4": { kind: "audio", maxBytes: 16 * MB, extensions: ["m4a"] },
  "audio/ogg": { kind: "audio", maxBytes: 16 * MB, extensions: ["ogg"] },
  "video/mp4": { kind: "video", maxBytes: 16 * MB, extensions: ["mp4"] },
  "video/3gpp": { kind: "video", maxBytes: 16 * MB, extensions: ["3gp"] },
  "text/plain": { kind: "document", maxBytes: 100 * MB, extensions: ["txt"] },
  "application/pdf": { kind: "document", maxBytes: 100 * MB, extensions: ["pdf"] },
  "application/msword": { kind: "document", maxBytes: 100 * MB, extensions: ["doc"] },
  "application/vnd.ms-excel": { kind: "document", maxBytes: 100 * MB, extensions: ["xls"] },
  "application/vnd.ms-powerpoint": { kind: "document", maxBytes: 100 * MB, extensions: ["ppt"] },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { kind: "document", maxBytes: 100 * MB, extensions: ["docx"] },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { kind: "document", maxBytes: 100 * MB, extensions: ["xlsx"] },
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": { kind: "document", maxBytes: 100 * MB, extensions: ["pptx"] },
};

/** The largest file of any type: the bound on an upload's body before its type is known. */
export const MAX_MEDIA_BYTES = Math.max(...Object.values(MEDIA_RULES).map((r) => r.maxBytes));

/** `audio/ogg; codecs=opus` → `audio/ogg`: the rule's key. */
export function baseMimeType(type: string): string {
  return type.split(";")[0]!.trim().toLowerCase();
}

// The first bytes of the formats that have fixed ones: a file whose bytes contradict its declared type
// is refused here rather than failing later on a customer's phone.
const SIGNATURES: Record<string, (b: Uint8Array) => boolean> = {
  "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/png": (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((x, i) => b[i] === x),
  "image/webp": (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP",
  "application/pdf": (b) => ascii(b, 0, 5) === "%PDF-",
};

function ascii(b: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...b.subarray(from, to));
}

/** Whether the file's first bytes fit its declared type (true for types without a fixed signature). */
export function bytesMatchType(mimeType: string, head: Uint8Array): boolean {
  const check = SIGNATURES[mimeType];
  return check ? check(head) : true;
}
