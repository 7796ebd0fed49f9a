import type { TestProject } from "vitest/node";
import pg from "pg";
import { applyMigrations, pgRunner } from "@/lib/db/apply-migrations";
import { databaseUrl, dropDatabase, withAdminClient } from "@/tests/helpers/postgres-admin";

// With TEST_DATABASE_URL: one migrated template database per run; each test file then gets a
// fresh copy of it (CREATE DATABASE … TEMPLATE), so files never see each other's rows.
declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string | null;
  }
}

export default async function setup(project: TestProject) {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) {
    project.provide("templateDatabase", null);
    return;
  }
  const name = `whatrack_tpl_${process.pid}_${Date.now()}`;
  await withAdminClient(base, (c) => c.query(`CREATE DATABASE "${name}"`));
  const client = new pg.Client({ connectionString: databaseUrl(base, name) });
  await client.connect();
  try {
    await applyMigrations(pgRunner(client));
  } finally {
    await client.end();
  }
  project.provide("templateDatabase", name);
  return async () => dropDatabase(base, name);
}
