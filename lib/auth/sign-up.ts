import { randomBytes } from "node:crypto";
import { prisma } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { hashPassword } from "@/lib/auth/hash-password";
import type { SignUpInput } from "@/lib/auth/auth-schemas";
import { AppError } from "@/lib/http/app-error";
import { slugify } from "@/lib/workspaces/create-workspace";

/** Creates a workspace and its owner in one transaction. */
export async function signUp(input: SignUpInput): Promise<{ userId: string; workspaceId: string }> {
  const passwordHash = await hashPassword(input.password);
  // A short random suffix keeps slugs unique without a read-then-write race.
  const slug = `${slugify(input.workspaceName)}-${randomBytes(3).toString("hex")}`;
  try {
    return await prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: input.email, name: input.name, passwordHash, lastLoginAt: new Date() } });
      const workspace = await tx.workspace.create({ data: { name: input.workspaceName, slug } });
      await tx.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role: "OWNER" } });
      return { userId: user.id, workspaceId: workspace.id };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", "An account with this email already exists: sign in instead");
    throw err;
  }
}
