import { prisma } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { sealToken } from "@/lib/crypto/token-vault";
import { AppError } from "@/lib/http/app-error";

export type CreateConnectionInput = {
  workspaceId: string;
  wabaId: string;
  phoneNumberId: string;
  accessToken: string;
  displayPhoneNumber?: string;
  name?: string;
};

/** Stores a WhatsApp number with its access token sealed in the vault (ciphertext only). */
export async function createConnection(input: CreateConnectionInput) {
  const sealed = sealToken(input.accessToken, input.workspaceId);
  try {
    return await prisma.$transaction(async (tx) => {
      const token = await tx.accessToken.create({ data: { workspaceId: input.workspaceId, ...sealed } });
      return tx.whatsAppConnection.create({
        data: {
          workspaceId: input.workspaceId,
          wabaId: input.wabaId,
          phoneNumberId: input.phoneNumberId,
          displayPhoneNumber: input.displayPhoneNumber,
          name: input.name,
          tokenId: token.id,
        },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", `Phone number ${input.phoneNumberId} is already connected`);
    throw err;
  }
}
