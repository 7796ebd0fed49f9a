import type { PGlite } from "@electric-sql/pglite";
import { backUpEmbeddedDatabase } from "@/lib/db/back-up-embedded-database";
import { logger } from "@/lib/log/logger";

// Backs up the open embedded database soon after start and then every few minutes, skipping a turn
// when nothing was written since the last backup. Ends by itself once the database is closed.

const KEEP = 3;
const FIRST_AFTER_MS = 5_000;

export function scheduleEmbeddedBackups(db: PGlite, dataDir: string, everyMinutes: number): void {
  if (everyMinutes <= 0 || dataDir.startsWith("memory://")) return;
  let lastPosition: string | null = null;
  let running = false;

  const tick = async () => {
    if (db.closed) return clearInterval(timer);
    if (running) return;
    running = true;
    try {
      const { rows } = await db.query<{ lsn: string }>("SELECT pg_current_wal_insert_lsn()::text AS lsn");
      if (rows[0]?.lsn === lastPosition) return;
      const backup = await backUpEmbeddedDatabase(db, dataDir, { keep: KEEP });
      lastPosition = backup.walPosition;
      logger.info({ file: backup.file, bytes: backup.bytes, pauseMs: backup.pauseMs, totalMs: backup.totalMs }, "embedded database backed up");
    } catch (err) {
      if (!db.closed) logger.warn({ err }, "embedded database backup failed");
    } finally {
      running = false;
    }
  };

  // Unreferenced: a pending backup never keeps the process alive.
  const timer = setInterval(() => void tick(), everyMinutes * 60_000);
  timer.unref();
  setTimeout(() => void tick(), FIRST_AFTER_MS).unref();
}
