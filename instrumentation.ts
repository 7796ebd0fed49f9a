// Runs once when a server instance starts, before it serves requests.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First: requests that arrive before this line have no known client address (lib/http/client-ip.ts).
  (await import("@/lib/http/peer-address")).recordPeerAddresses();
  // The embedded PGlite database migrates itself; PostgreSQL is migrated as a deploy step.
  const { prepareDatabase } = await import("@/lib/db/prepare-database");
  await prepareDatabase();
}
