import { defineConfig } from "vitest/config";
import path from "node:path";

// `npm test`: unit tests beside the code, and integration tests on a real PostgreSQL — the
// embedded PGlite unless TEST_DATABASE_URL names a server (as .ci/run does). Redis-backed tests
// run when TEST_REDIS_URL is set.
const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["lib/**/*.test.ts", "sim/**/*.test.ts", "scripts/**/*.test.ts", "components/**/*.test.ts"], environment: "node" },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/setup/global-database.ts"],
          setupFiles: ["tests/setup/environment.ts", "tests/setup/database.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
