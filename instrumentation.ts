// Runs once when a server instance starts, before it serves requests.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // The embedded PGlite database migrates itself; PostgreSQL is migrated as a deploy step.
  const { prepareDatabase } = await import("@/lib/db/prepare-database");
  await prepareDatabase();
}
