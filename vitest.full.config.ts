import { defineConfig } from "vitest/config";
import path from "node:path";
import base from "./vitest.config";

// `npm run test:full` (.ci/run): everything in `npm test`, plus end-to-end tests against a built
// app under `next start` on the real PostgreSQL and Redis named by TEST_DATABASE_URL / TEST_REDIS_URL.
const alias = { "@": path.resolve(import.meta.dirname) };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      ...(base.test?.projects ?? []),
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/setup/global-database.ts"],
          setupFiles: ["tests/setup/environment.ts", "tests/setup/database.ts"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
