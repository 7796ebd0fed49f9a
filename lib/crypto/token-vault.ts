import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";

// Access tokens are sealed with AES-256-GCM. TOKEN_ENCRYPTION_KEY is a keyring, "id:key[,id:key…]",
// newest first: new tokens use the first key, older rows stay readable by their keyId, which is
// how keys rotate without downtime. A key is 32 bytes as 64 hex characters or base64; a bare key
// without "id:" gets an id derived from its hash. The workspace id is bound in as associated data,
// so a ciphertext copied to another tenant's row does not decrypt.

type Bytes = Uint8Array<ArrayBuffer>;
export type SealedToken = { keyId: string; iv: Bytes; ciphertext: Bytes; authTag: Bytes; last4: string };
type Key = { id: string; key: Buffer };

function decodeKey(text: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw new Error("TOKEN_ENCRYPTION_KEY: each key must be 32 bytes (64 hex characters or base64)");
  return key;
}

export function parseKeyring(value: string): Key[] {
  return value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const colon = part.indexOf(":");
      if (colon > 0 && colon < part.length - 1 && /^[\w.-]+$/.test(part.slice(0, colon))) {
        return { id: part.slice(0, colon), key: decodeKey(part.slice(colon + 1)) };
      }
      const key = decodeKey(part);
      return { id: createHash("sha256").update(key).digest("hex").slice(0, 8), key };
    });
}

let keyring: Key[] | null = null;
function keys(): Key[] {
  if (!env.TOKEN_ENCRYPTION_KEY) throw new AppError("unavailable", "Token encryption is not configured (TOKEN_ENCRYPTION_KEY)");
  keyring ??= parseKeyring(env.TOKEN_ENCRYPTION_KEY);
  if (keyring.length === 0) throw new AppError("unavailable", "TOKEN_ENCRYPTION_KEY holds no key");
  return keyring;
}

export function currentKeyId(): string {
  return keys()[0]!.id;
}

export function sealToken(plain: string, workspaceId: string): SealedToken {
  const { id, key } = keys()[0]!;
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(workspaceId));
  const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return { keyId: id, iv: new Uint8Array(iv), ciphertext: new Uint8Array(ciphertext), authTag: new Uint8Array(cipher.getAuthTag()), last4: plain.slice(-4) };
}

export function openToken(sealed: { keyId: string; iv: Uint8Array; ciphertext: Uint8Array; authTag: Uint8Array }, workspaceId: string): string {
  const entry = keys().find((k) => k.id === sealed.keyId);
  if (!entry) throw new AppError("unavailable", `Token was sealed with key "${sealed.keyId}", which is not in TOKEN_ENCRYPTION_KEY`);
  const decipher = createDecipheriv("aes-256-gcm", entry.key, Buffer.from(sealed.iv));
  decipher.setAAD(Buffer.from(workspaceId));
  decipher.setAuthTag(Buffer.from(sealed.authTag));
  return Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext)), decipher.final()]).toString("utf8");
}
