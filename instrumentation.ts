// Runs once when a server instance starts, before it serves requests.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // Opens and migrates the embedded database (or exits with one line saying why it cannot).
  const { startDatabase } = await import("@/lib/db/start-database");
  await startDatabase();
}
