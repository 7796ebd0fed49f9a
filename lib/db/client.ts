import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/log/logger";

// The one Prisma client. PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite.
// Cached on globalThis: Next loads route handlers and pages as separate module graphs in one
// process, and a second PGlite on the same data directory would silently lose writes.

type DbGlobal = { prisma?: PrismaClient; pglite?: PGlite; pool?: pg.Pool };
const g = globalThis as typeof globalThis & { __whatrackDb?: DbGlobal };
const cache: DbGlobal = (g.__whatrackDb ??= {});

function createClient(): PrismaClient {
  if (env.DATABASE_URL) {
    if (!cache.pool) {
      cache.pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE });
      // An idle connection dropped by the server (restart, failover, admin) emits "error" on the pool;
      // unhandled, that would crash the process. The pool replaces the client on its next use.
      cache.pool.on("error", (err) => logger.warn({ err }, "idle database connection lost"));
    }
    return new PrismaClient({ adapter: new PrismaPg(cache.pool) });
  }
  // PGlite does not create missing parent directories (a fresh clone has no .data/).
  if (!env.PGLITE_DATA_DIR.startsWith("memory://")) mkdirSync(path.dirname(env.PGLITE_DATA_DIR), { recursive: true });
  cache.pglite ??= new PGlite(env.PGLITE_DATA_DIR);
  return new PrismaClient({ adapter: new PrismaPGlite(cache.pglite) });
}

export const prisma: PrismaClient = (cache.prisma ??= createClient());

/**
 * One SQL statement on the same connections Prisma uses, skipping Prisma's query layer. Only for the
 * webhook's store-before-200 insert, where it roughly halves the time our code adds to a request
 * (bench/README.md); everything else goes through `prisma`. On PGlite it goes through Prisma, which
 * serialises statements on PGlite's single session.
 */
export async function queryRows<T>(text: string, params: unknown[]): Promise<T[]> {
  if (cache.pool) return (await cache.pool.query(text, params)).rows as T[];
  return prisma.$queryRawUnsafe<T[]>(text, ...params);
}

/** The embedded PGlite instance (for the migration runner), or null on PostgreSQL. */
export function embeddedDatabase(): PGlite | null {
  return cache.pglite ?? null;
}

/** Closes the client, and PGlite too ($disconnect alone leaves it open and scripts hang). */
export async function closeDatabase(): Promise<void> {
  await prisma.$disconnect();
  if (cache.pool) await cache.pool.end().catch(() => undefined);
  cache.pool = undefined;
  if (cache.pglite && !cache.pglite.closed) await cache.pglite.close();
  cache.prisma = undefined;
  cache.pglite = undefined;
}
