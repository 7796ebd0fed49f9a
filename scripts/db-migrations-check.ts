// npm run db:check: fails, printing the missing SQL, when applying prisma/migrations to an empty
// database does not give exactly prisma/schema.prisma (a schema change without its migration).
import { PGlite } from "@electric-sql/pglite";
import { applyMigrations, pgliteRunner } from "@/lib/db/apply-migrations";
import { MIGRATIONS_DIR, NO_FILTERS, openSchemaEngine, readSchema } from "@/scripts/schema-engine";

const schema = await readSchema();
const db = new PGlite();
// Our own runner, so the check also covers what the app and `db:migrate` do.
const session = await openSchemaEngine(schema, db);
let drift: string | null = null;
try {
  await applyMigrations(pgliteRunner(db), { dir: MIGRATIONS_DIR });
  const diff = await session.engine.diff({
    from: { tag: "schemaDatasource", ...schema, configDir: process.cwd() }, // the migrated database
    to: { tag: "schemaDatamodel", ...schema },
    script: true,
    exitCode: true, // 2 when they differ
    filters: NO_FILTERS,
  });
  if (diff.exitCode !== 0) drift = diff.stdout ?? "";
} finally {
  await session.close();
}

if (drift !== null) {
  console.error("prisma/schema.prisma differs from what the migrations produce; missing SQL:\n");
  console.error(drift);
  console.error("Create a migration with: npm run db:migration -- <name>");
  process.exit(1);
}
console.log("migrations match the schema");
