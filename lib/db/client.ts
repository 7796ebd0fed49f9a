import type { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { closeBeforeExit } from "@/lib/db/close-before-exit";
import { openEmbeddedDatabase, type EmbeddedDatabase } from "@/lib/db/open-embedded-database";
import { env } from "@/lib/env";
import { logger } from "@/lib/log/logger";

// The one Prisma client. PostgreSQL when DATABASE_URL is set, otherwise the embedded PGlite.
// Cached on globalThis: Next loads route handlers and pages as separate module graphs in one
// process, and a second PGlite on the same data directory would silently lose writes.

type DbGlobal = { prisma?: PrismaClient; embedded?: Promise<EmbeddedDatabase>; pglite?: Promise<PGlite>; exiting?: boolean; pool?: pg.Pool };
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
  return new PrismaClient({ adapter: new LazyPGlite() });
}

// PGlite is opened on the first query, not on import: `next build` imports route modules in worker
// processes, which must not open (and then leave unclosed) the data directory of a running app.
class LazyPGlite implements SqlDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "pglite-prisma-adapter";
  async connect() {
    return new PrismaPGlite((await openEmbedded()).pglite).connect();
  }
}

function openEmbedded(): Promise<EmbeddedDatabase> {
  // A late query must not reopen, unclosed, what was just closed for the process to exit.
  if (cache.exiting) return Promise.reject(new Error("the embedded database is closed: the process is exiting"));
  if (!cache.embedded) {
    const opening = openEmbeddedDatabase(env.PGLITE_DATA_DIR);
    cache.embedded = opening;
    cache.pglite = opening.then((e) => e.pglite);
    cache.pglite.catch(() => undefined); // seen by whoever awaits it; unawaited, not an unhandled rejection
    // A failed open is forgotten, so the next caller tries again (and sees the error).
    opening.then(
      () => {
        if (env.PGLITE_DATA_DIR.startsWith("memory://")) return;
        closeBeforeExit(() => {
          cache.exiting = true;
          return closeDatabase();
        });
      },
      () => {
        if (cache.embedded !== opening) return;
        cache.embedded = undefined;
        cache.pglite = undefined;
      },
    );
  }
  return cache.embedded;
}

export const prisma: PrismaClient = (cache.prisma ??= createClient());

/**
 * Raw SQL on the same connections Prisma uses, skipping Prisma's query layer: the webhook's
 * store-before-200 insert (the hot path) and the queue engine's set-based statements (lib/queue/,
 * lib/messages/, lib/webhooks/). Multi-value parameters travel as one JSON document
 * (`json_to_recordset($1::json)`), which both drivers pass alike. On PGlite it goes through Prisma,
 * which serialises statements on PGlite's single session.
 */
export async function queryRows<T>(text: string, params: unknown[]): Promise<T[]> {
  if (cache.pool) return (await cache.pool.query(text, params)).rows as T[];
  return prisma.$queryRawUnsafe<T[]>(text, ...params);
}

/**
 * The embedded PGlite database, opened if it is not yet (for the migration runner and backups), or
 * null on PostgreSQL. The same promise for every caller until closeDatabase(); a data directory that
 * cannot be opened rejects with an EmbeddedDatabaseError.
 */
export function embeddedDatabase(): Promise<PGlite> | null {
  if (env.DATABASE_URL) return null;
  void openEmbedded().catch(() => undefined);
  return cache.pglite ?? Promise.reject(new Error("the embedded database is closed: the process is exiting"));
}

/** Closes the client, and PGlite too ($disconnect alone leaves it open and scripts hang). */
export async function closeDatabase(): Promise<void> {
  await prisma.$disconnect();
  if (cache.pool) await cache.pool.end().catch(() => undefined);
  cache.pool = undefined;
  const embedded = cache.embedded;
  cache.embedded = undefined;
  cache.pglite = undefined;
  if (embedded) await (await embedded.catch(() => null))?.close();
  cache.prisma = undefined;
}
