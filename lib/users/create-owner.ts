import { prisma } from "@/lib/db/client";
import { assertStrongPassword } from "@/lib/auth/assert-strong-password";
import { hashPassword } from "@/lib/auth/hash-password";

/** Creates (or finds) a user by email and makes them an owner of the workspace. */
export async function createOwner(input: { workspaceId: string; email: string; name?: string; password?: string; isAdmin?: boolean }) {
  const email = input.email.trim().toLowerCase();
  if (input.password) await assertStrongPassword(input.password, [email, input.name]);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const user = await prisma.user.upsert({
    where: { email },
    create: { email, name: input.name, passwordHash, isAdmin: input.isAdmin ?? false },
    update: { ...(passwordHash ? { passwordHash } : {}), ...(input.isAdmin ? { isAdmin: true } : {}) },
  });
  await prisma.membership.upsert({
    where: { workspaceId_userId: { workspaceId: input.workspaceId, userId: user.id } },
    create: { workspaceId: input.workspaceId, userId: user.id, role: "OWNER" },
    update: { role: "OWNER" },
  });
  return user;
}
