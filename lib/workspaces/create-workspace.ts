import { prisma } from "@/lib/db/client";
import { isUniqueViolation } from "@/lib/db/errors";
import { AppError } from "@/lib/http/app-error";

export function slugify(name: string): string {
  return name.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 48) || "workspace";
}

export async function createWorkspace(input: { name: string; slug?: string }) {
  const slug = input.slug ?? slugify(input.name);
  try {
    return await prisma.workspace.create({ data: { name: input.name, slug } });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("conflict", `A workspace with slug "${slug}" already exists`);
    throw err;
  }
}
