import { AsyncLocalStorage } from "node:async_hooks";
import { subscribe } from "node:diagnostics_channel";

// Next 16 gives route handlers no socket address, and `next start` only fills X-Forwarded-For from the
// socket when the client sent none (a client-written one is passed on as is). Node publishes every
// request it parses on the `http.server.request.start` diagnostics channel, synchronously, just before
// the server's 'request' handler runs: entering an AsyncLocalStorage there makes the TCP peer's
// address readable anywhere in that request's async work, and no header can forge it.

type State = { storage: AsyncLocalStorage<string>; subscribed: boolean };

// On globalThis: instrumentation and the route handlers are separate bundles in one process.
const g = globalThis as typeof globalThis & { __whatrackPeerAddress?: State };
const state: State = (g.__whatrackPeerAddress ??= { storage: new AsyncLocalStorage<string>(), subscribed: false });

/** Starts recording each HTTP request's socket address (instrumentation.ts calls this once at start-up). */
export function recordPeerAddresses(): void {
  if (state.subscribed) return;
  state.subscribed = true;
  subscribe("http.server.request.start", (message) => {
    const address = (message as { socket?: { remoteAddress?: string } }).socket?.remoteAddress;
    if (address) state.storage.enterWith(address);
  });
}

/**
 * The address of the TCP peer that sent the current request, or undefined outside a request Node's own
 * HTTP server parsed after start-up (a direct call in a test, a request that arrived while booting).
 */
export function peerAddress(): string | undefined {
  return state.storage.getStore();
}

/** Runs `fn` as if its request had come from `address`: for tests that call route handlers without a server. */
export function runWithPeerAddress<T>(address: string, fn: () => T): T {
  return state.storage.run(address, fn);
}
