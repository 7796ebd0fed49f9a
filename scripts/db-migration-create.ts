// npm run db:migration -- <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL
// that takes the existing migrations to prisma/schema.prisma, like `prisma migrate dev --create-only`,
// but offline (the WebAssembly schema engine on in-memory PGlite databases).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import {
  LOCKFILE_CONTENT,
  LOCKFILE_NAME,
  MIGRATIONS_DIR,
  NO_FILTERS,
  openSchemaEngine,
  readMigrationList,
  readSchema,
} from "@/scripts/schema-engine";

// Same shape as the names Prisma generates: lower-case words joined by underscores.
const migrationName = z
  .string()
  .transform((s) => s.toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 200))
  .pipe(z.string().min(1, "give the migration a name: npm run db:migration -- <name>"));

const parsedName = migrationName.safeParse(process.argv[2] ?? "");
if (!parsedName.success) {
  console.error(parsedName.error.issues[0]?.message);
  process.exit(1);
}

const schema = await readSchema();
const migrations = await readMigrationList();
const session = await openSchemaEngine(schema);
try {
  const diff = await session.engine.diff({
    from: { tag: "migrations", ...migrations },
    to: { tag: "schemaDatamodel", ...schema },
    script: true,
    exitCode: true, // 2 when there is something to migrate
    filters: NO_FILTERS,
  });
  if (diff.exitCode === 0 || !diff.stdout) {
    console.log("no changes: the migrations already produce prisma/schema.prisma");
  } else {
    // UTC, like Prisma, so names sort in creation order across time zones.
    const timestamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(MIGRATIONS_DIR, `${timestamp}_${parsedName.data}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), diff.stdout);
    // "wx": an existing lockfile is kept as it is.
    await writeFile(path.join(MIGRATIONS_DIR, LOCKFILE_NAME), LOCKFILE_CONTENT, { flag: "wx" }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    console.log(`created ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await session.close();
}
