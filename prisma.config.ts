import { defineConfig } from "prisma/config";

// The CLI only needs the schema here: migrations are applied by our own runner
// (lib/db/apply-migrations.ts, `npm run db:migrate`), which stays compatible with `prisma migrate deploy`.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/whatrack" },
});
