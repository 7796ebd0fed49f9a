import { prisma } from "@/lib/db/client";
import { hashPassword, verifyPassword } from "@/lib/auth/hash-password";
import type { SignInInput } from "@/lib/auth/auth-schemas";
import { AppError } from "@/lib/http/app-error";
import { assertRateLimit } from "@/lib/locks/assert-rate-limit";

const WINDOW_MS = 15 * 60 * 1000;
const RATE_MESSAGE = "Too many sign-in attempts: try again in 15 minutes";
// Compared against when the email is unknown, so both cases take the same time.
let decoyHash: Promise<string> | null = null;

/** Checks credentials (rate-limited per email and per client address) and picks the workspace to open. */
export async function signIn(input: SignInInput, clientIp: string): Promise<{ userId: string; workspaceId: string }> {
  await assertRateLimit({ key: `signin:email:${input.email}`, limit: 10, windowMs: WINDOW_MS, message: RATE_MESSAGE });
  await assertRateLimit({ key: `signin:ip:${clientIp}`, limit: 50, windowMs: WINDOW_MS, message: RATE_MESSAGE });

  const user = await prisma.user.findUnique({ where: { email: input.email }, include: { memberships: { orderBy: { createdAt: "asc" }, take: 1 } } });
  decoyHash ??= hashPassword("decoy password for unknown emails");
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash));
  const membership = user?.memberships[0];
  if (!user || !valid || !membership) throw new AppError("unauthorized", "Wrong email or password");

  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { userId: user.id, workspaceId: membership.workspaceId };
}
