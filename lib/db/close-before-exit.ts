import { constants } from "node:os";

// Closes the embedded database before the process exits on SIGTERM/SIGINT. A PGlite left open is a
// crash to recover from at the next start (docs/embedded-database.md).
//
// Under `next start`/`next dev`, Next's own handler (registered before ours) stops accepting
// requests, lets in-flight ones and their after() callbacks finish — they still use the database —
// then calls process.exit. So ours holds that exit until the database is closed. Where nobody else
// handles the signal (a script), ours closes and exits itself.

const CLOSE_TIMEOUT_MS = 10_000;
// Longer than Next takes to drain in practice, shorter than the 30 s most supervisors give before SIGKILL.
const DRAIN_DEADLINE_MS = 20_000;

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
