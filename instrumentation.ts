// Runs once when a server instance starts, before it serves requests.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  // First: requests that arrive before this line have no known client address (lib/http/client-ip.ts).
  (await import("@/lib/http/peer-address")).recordPeerAddresses();
  // Opens and migrates the embedded database (or exits with one line saying why it cannot).
  const { startDatabase } = await import("@/lib/db/start-database");
  await startDatabase();
}
