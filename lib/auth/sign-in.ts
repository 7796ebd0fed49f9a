import { prisma } from "@/lib/db/client";
import { accountKey } from "@/lib/auth/account-key";
import { createDeviceToken, type Device } from "@/lib/auth/device-token";
import { hashPassword, verifyPassword } from "@/lib/auth/hash-password";
import type { SignInInput } from "@/lib/auth/auth-schemas";
import { AppError } from "@/lib/http/app-error";
import { consumeRateLimits, type RateLimit } from "@/lib/locks/consume-rate-limits";

// Failed sign-ins are limited, not sign-ins (docs/security.md). Every attempt is counted before the
// password is checked (so a burst sent at once is counted too) and a right password takes it back:
// - per address: 50 failures / 15 min, whichever accounts they were for (one client spraying many);
// - per (account, address): 10 / 15 min; other clients of the account are not affected;
// - per account, from browsers that never signed in to it: 100 / hour, so many addresses together
//   cannot guess fast either. A browser that has signed in before (device cookie) skips this one and
//   has a limit of its own instead: the owner keeps signing in whatever the others' failures.
// An unknown email is counted like a known one: the answers never tell which emails have accounts.
const FIFTEEN_MINUTES = 15 * 60 * 1000;
const HOUR = 60 * 60 * 1000;
const FROM_ADDRESS = "Too many failed sign-ins from your network: try again in 15 minutes";
const TO_ACCOUNT = "Too many failed sign-ins to this account from here: try again in 15 minutes";
const NEW_BROWSERS =
  "Too many failed sign-ins to this account: sign in from a browser you have signed in with before, or try again within the hour";

// Compared against when the email is unknown, so both cases take the same time.
let decoyHash: Promise<string> | null = null;

function signInLimits(account: string, ip: string, device: Device | null): RateLimit[] {
  const known = device?.accountKey === account;
  return [
    { key: `signin:addr:${ip}`, limit: 50, windowMs: FIFTEEN_MINUTES, message: FROM_ADDRESS },
    { key: `signin:acct-addr:${account}:${ip}`, limit: 10, windowMs: FIFTEEN_MINUTES, message: TO_ACCOUNT },
    known
      ? { key: `signin:device:${device.deviceId}`, limit: 10, windowMs: FIFTEEN_MINUTES, message: TO_ACCOUNT }
      : { key: `signin:acct:${account}`, limit: 100, windowMs: HOUR, message: NEW_BROWSERS },
  ];
}

/** Checks credentials within the limits and picks the workspace to open; the device token marks this browser as known. */
export async function signIn(
  input: SignInInput,
  client: { ip: string; device: Device | null },
): Promise<{ userId: string; workspaceId: string; deviceToken: string }> {
  const account = accountKey(input.email);
  const attempt = await consumeRateLimits(signInLimits(account, client.ip, client.device));

  const user = await prisma.user.findUnique({ where: { email: input.email }, include: { memberships: { orderBy: { createdAt: "asc" }, take: 1 } } });
  decoyHash ??= hashPassword("decoy password for unknown emails");
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash));
  const membership = user?.memberships[0];
  if (!user || !valid || !membership) throw new AppError("unauthorized", "Wrong email or password");

  await attempt.refund();
  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  return { userId: user.id, workspaceId: membership.workspaceId, deviceToken: await createDeviceToken(account) };
}
