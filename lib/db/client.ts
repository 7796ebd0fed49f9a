import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

// The one Prisma client. PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite.
// Cached on globalThis: Next loads route handlers and pages as separate module graphs in one
// process, and a second PGlite on the same data directory would silently lose writes.

type DbGlobal = { prisma?: PrismaClient; pglite?: PGlite };
const g = globalThis as typeof globalThis & { __whatrackDb?: DbGlobal };
const cache: DbGlobal = (g.__whatrackDb ??= {});

function createClient(): PrismaClient {
  if (env.DATABASE_URL) {
    const adapter = new PrismaPg({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE });
    return new PrismaClient({ adapter });
  }
  // PGlite does not create missing parent directories (a fresh clone has no .data/).
  if (!env.PGLITE_DATA_DIR.startsWith("memory://")) mkdirSync(path.dirname(env.PGLITE_DATA_DIR), { recursive: true });
  cache.pglite ??= new PGlite(env.PGLITE_DATA_DIR);
  return new PrismaClient({ adapter: new PrismaPGlite(cache.pglite) });
}

export const prisma: PrismaClient = (cache.prisma ??= createClient());

/** The embedded PGlite instance (for the migration runner), or null on PostgreSQL. */
export function embeddedDatabase(): PGlite | null {
  return cache.pglite ?? null;
}

/** Closes the client, and PGlite too ($disconnect alone leaves it open and scripts hang). */
export async function closeDatabase(): Promise<void> {
  await prisma.$disconnect();
  if (cache.pglite && !cache.pglite.closed) await cache.pglite.close();
  cache.prisma = undefined;
  cache.pglite = undefined;
}
