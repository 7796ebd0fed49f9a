import { afterAll, beforeAll, inject } from "vitest";
import { randomBytes } from "node:crypto";
import { databaseUrl, dropDatabase, withAdminClient } from "@/tests/helpers/postgres-admin";

// Runs before each integration test file, before it imports any app module: points the app's env
// at this file's own database (a fresh copy of the migrated template, or an in-memory PGlite).
process.env.LOG_LEVEL ??= "silent";
const base = process.env.TEST_DATABASE_URL;
const template = inject("templateDatabase");
let ownDatabase: string | null = null;

if (base && template) {
  ownDatabase = `whatrack_t_${randomBytes(6).toString("hex")}`;
  await withAdminClient(base, (c) => c.query(`CREATE DATABASE "${ownDatabase}" TEMPLATE "${template}"`));
  process.env.DATABASE_URL = databaseUrl(base, ownDatabase);
  // Test files run in parallel against one Redis: each gets its own key space, like a deployment.
  process.env.REDIS_KEY_PREFIX = ownDatabase;
} else {
  delete process.env.DATABASE_URL;
  process.env.PGLITE_DATA_DIR = "memory://";
}

beforeAll(async () => {
  const { prepareDatabase } = await import("@/lib/db/prepare-database");
  await prepareDatabase();
});

afterAll(async () => {
  const { closeDatabase } = await import("@/lib/db/client");
  await closeDatabase();
  if (base && ownDatabase) await dropDatabase(base, ownDatabase);
});
