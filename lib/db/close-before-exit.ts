import { constants } from "node:os";

// Closes the embedded database before the process exits on SIGTERM/SIGINT. A PGlite left open is a
// crash to recover from at the next start (docs/embedded-database.md).
//
// Under `next start`/`next dev`, Next's own handler (registered before ours) stops accepting
// requests, lets in-flight ones and their after() callbacks finish — they still use the database —
// then calls process.exit. So ours holds that exit until the database is closed. Where nobody else
// handles the signal (a script), ours closes and exits itself.

const CLOSE_TIMEOUT_MS = 5_000;
// Next's drain ends when every connection is idle and closed: a keep-alive client that keeps sending
// (Meta, a load balancer) holds it open indefinitely, an idle one for the keep-alive timeout (5 s).
// Past this deadline the database is closed anyway — still before Docker's SIGKILL at 10 s. A request
// cut short then was never answered 200, so Meta delivers it again.
const DRAIN_DEADLINE_MS = 8_000;

type CloseGlobal = { __whatrackCloseBeforeExit?: true };

export function closeBeforeExit(close: () => Promise<void>): void {
  const g = globalThis as typeof globalThis & CloseGlobal;
  if (g.__whatrackCloseBeforeExit) return;
  g.__whatrackCloseBeforeExit = true;

  const exit = process.exit.bind(process);
  let closing: Promise<void> | null = null;
  const closeThenExit = (code: number | string | null | undefined) => {
    closing ??= Promise.race([close(), new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref())]).catch((error: unknown) => {
      console.error(`closing the embedded database failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    void closing.then(() => exit(code));
  };

  const onSignal = (signal: "SIGTERM" | "SIGINT") => {
    const code = 128 + constants.signals[signal];
    if (process.listenerCount(signal) > 1) {
      process.exit = closeThenExit as typeof process.exit;
      // Should the drain never end, close anyway before a supervisor's SIGKILL.
      setTimeout(() => closeThenExit(code), DRAIN_DEADLINE_MS).unref();
    } else {
      closeThenExit(code);
    }
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
