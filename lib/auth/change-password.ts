import { z } from "zod";
import { prisma } from "@/lib/db/client";
import { signUpSchema } from "@/lib/auth/auth-schemas";
import { endOtherSessions } from "@/lib/auth/end-other-sessions";
import { hashPassword, verifyPassword } from "@/lib/auth/hash-password";
import { AppError } from "@/lib/http/app-error";
import { consumeRateLimits } from "@/lib/locks/consume-rate-limits";

// The new password follows the same rule as sign-up's (one rule, in lib/auth/auth-schemas.ts).
export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: signUpSchema.shape.password,
});
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

/**
 * Changes a signed-in user's password after checking the current one (rate-limited per user, like
 * sign-in), and ends every other session of that user: whoever else held a cookie is signed out.
 * The session that made the change stays signed in. Returns how many other sessions ended.
 */
export async function changePassword(session: { userId: string; sessionId: string }, input: ChangePasswordInput): Promise<{ endedSessions: number }> {
  await consumeRateLimits([{ key: `password:user:${session.userId}`, limit: 10, windowMs: 15 * 60 * 1000, message: "Too many attempts: try again in 15 minutes" }]);
  const user = await prisma.user.findUniqueOrThrow({ where: { id: session.userId }, select: { passwordHash: true } });
  if (!user.passwordHash || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError("forbidden", "The current password is wrong");
  }
  const passwordHash = await hashPassword(input.newPassword);
  return prisma.$transaction(async (tx) => {
    await tx.user.update({ where: { id: session.userId }, data: { passwordHash } });
    return { endedSessions: await endOtherSessions(session.userId, { keep: session.sessionId, db: tx }) };
  });
}
