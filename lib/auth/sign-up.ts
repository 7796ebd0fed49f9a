import { randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { accountKey } from "@/lib/auth/account-key";
import { assertStrongPassword } from "@/lib/auth/assert-strong-password";
import { createDeviceToken } from "@/lib/auth/device-token";
import { hashPassword } from "@/lib/auth/hash-password";
import type { SignUpInput } from "@/lib/auth/auth-schemas";
import { AppError } from "@/lib/http/app-error";
import { consumeRateLimits } from "@/lib/locks/consume-rate-limits";
import { slugify } from "@/lib/workspaces/create-workspace";

const HOUR = 60 * 60 * 1000;

/**
 * Creates a workspace and its owner in one transaction: at most 20 attempts per client address an hour
 * (counted first, so weak passwords and taken emails count too: it bounds both workspace spam and
 * checking which emails have accounts). A taken email is told apart (409): sign-up signs the owner in
 * at once, without an email to verify, so no answer could hide it (docs/security.md).
 */
export async function signUp(input: SignUpInput, client: { ip: string }): Promise<{ userId: string; workspaceId: string; deviceToken: string }> {
  await consumeRateLimits([{ key: `signup:addr:${client.ip}`, limit: 20, windowMs: HOUR, message: "Too many sign-ups from your network: try again in an hour" }]);
  await assertStrongPassword(input.password, [input.email, input.name, input.workspaceName]);
  const passwordHash = await hashPassword(input.password);
  // A short random suffix keeps slugs unique without a read-then-write race.
  const slug = `${slugify(input.workspaceName)}-${randomBytes(3).toString("hex")}`;
  const created = await prisma
    .$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash, lastLoginAt: new Date() } });
      const workspace = await tx.workspace.create({ data: { name: input.workspaceName, slug } });
      await tx.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role: "OWNER" } });
      return { userId: user.id, workspaceId: workspace.id };
    })
    .catch((err: unknown) => {
      throw isUniqueViolation(err) ? new AppError("conflict", "An account with this email already exists: sign in instead") : err;
    });
  return { ...created, deviceToken: await createDeviceToken(accountKey(input.email)) };
}
