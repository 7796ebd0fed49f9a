import { prisma } from "@/lib/db/client";

/**
 * The job's row, created on first use. Concurrent first calls on a fresh database all get it: the
 * insert is `ON CONFLICT DO NOTHING` (an upsert's insert would collide on the key and fail all but one).
 */
export async function ensureJob(name: string) {
  const existing = await prisma.job.findUnique({ where: { name } });
  if (existing) return existing;
  await prisma.job.createMany({ data: [{ name }], skipDuplicates: true });
  return prisma.job.findUniqueOrThrow({ where: { name } });
}
