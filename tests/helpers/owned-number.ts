import { prisma } from "@/lib/db/client";
import { createOwner } from "@/lib/users/create-owner";
import { connectTestNumber, type TestNumber } from "@/tests/helpers/webhook-harness";

// For the job tests that sweep every connection: numbers with an owner (alerts have a recipient), and
// a way to retire the numbers earlier tests left behind so each test sees only its own.

export async function ownedNumber(): Promise<TestNumber> {
  const number = await connectTestNumber();
  await createOwner({ workspaceId: number.workspaceId, email: `owner-${number.phoneNumberId}@example.test` });
  return number;
}

export async function retireOtherNumbers(): Promise<void> {
  await prisma.whatsAppConnection.updateMany({ where: { status: { not: "REMOVED" } }, data: { status: "REMOVED" } });
}
