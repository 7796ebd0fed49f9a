import type { Logger } from "pino";
import { currentKeyId, openToken, sealToken } from "@/lib/crypto/token-vault";
import { prisma } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

// Re-encrypts every access token not sealed with the newest key of TOKEN_ENCRYPTION_KEY. Rotation
// without downtime: put the new key first in the ring and keep the old one after it (old rows stay
// readable meanwhile), run this until `remaining` is 0, then drop the old key.
//
// Batches go by id (keyset cursor). Each row is written back only if it still holds the ciphertext that
// was read (same keyId and iv): a concurrent run that rotated it first, or a token replaced meanwhile,
// makes the write a no-op instead of overwriting newer data. Running it again is harmless.

export interface RotateTokenKeysOptions {
  batchSize?: number;
  /** Stop after this many batches (`hasMore` then says whether rows were left). */
  maxBatches?: number;
  log?: Logger;
}

export interface RotateTokenKeysResult {
  keyId: string;
  rotated: number;
  /** Changed by someone else between read and write (another run, a new token). */
  skipped: number;
  /** Could not be opened: its key is missing from the ring, or the row is damaged. */
  failed: number;
  /** Rows still sealed with another key after this run (the failed ones among them). */
  remaining: number;
  hasMore: boolean;
}

type Row = { id: string; workspaceId: string; keyId: string; iv: Uint8Array<ArrayBuffer>; ciphertext: Uint8Array<ArrayBuffer>; authTag: Uint8Array<ArrayBuffer> };

async function rotateOne(row: Row, log: Logger): Promise<"rotated" | "skipped" | "failed"> {
  let plain: string;
  try {
    plain = openToken(row, row.workspaceId);
  } catch (err) {
    log.error({ tokenId: row.id, keyId: row.keyId, reason: err instanceof Error ? err.message : "unknown" }, "token could not be opened for rotation");
    return "failed";
  }
  const { keyId, iv, ciphertext, authTag } = sealToken(plain, row.workspaceId);
  const { count } = await prisma.accessToken.updateMany({ where: { id: row.id, keyId: row.keyId, iv: row.iv }, data: { keyId, iv, ciphertext, authTag } });
  return count === 1 ? "rotated" : "skipped";
}

export async function rotateTokenKeys(options: RotateTokenKeysOptions = {}): Promise<RotateTokenKeysResult> {
  const { batchSize = 100, maxBatches = Number.POSITIVE_INFINITY, log = logger } = options;
  const keyId = currentKeyId();
  const totals = { rotated: 0, skipped: 0, failed: 0 };
  let afterId: string | null = null;
  let hasMore = false;

  for (let batch = 0; ; batch++) {
    const rows: Row[] = await prisma.accessToken.findMany({
      where: { keyId: { not: keyId }, ...(afterId ? { id: { gt: afterId } } : {}) },
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true, workspaceId: true, keyId: true, iv: true, ciphertext: true, authTag: true },
    });
    if (rows.length === 0) break;
    if (batch >= maxBatches) {
      hasMore = true;
      break;
    }
    for (const row of rows) totals[await rotateOne(row, log)]++;
    afterId = rows[rows.length - 1]!.id;
  }

  const remaining = await prisma.accessToken.count({ where: { keyId: { not: keyId } } });
  log.info({ keyId, ...totals, remaining }, "token key rotation finished");
  return { keyId, ...totals, remaining, hasMore };
}
