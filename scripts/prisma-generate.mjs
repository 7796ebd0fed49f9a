// Runs `prisma generate` offline: the CLI wants to download its schema-engine binary first, which
// `generate` does not use; pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
if (!existsSync("prisma/schema.prisma")) process.exit(0);
const r = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
process.exit(r.status ?? 1);
