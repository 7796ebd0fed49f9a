// Uptime arithmetic over online/offline transitions, kept pure so it is tested on its own.
// A connection's state holds from one transition to the next; before its first transition the state is
// unknown, and unknown time counts neither as up nor as down (a number connected yesterday is not "93% down"
// over 30 days).

export type Transition = { online: boolean; at: Date };

export type UptimeWindow = `${number}h` | `${number}d`;

export interface UptimeSpan {
  onlineMs: number;
  /** Time within the span whose state is known. */
  knownMs: number;
  /** onlineMs / knownMs; null when nothing in the span is known. */
  fraction: number | null;
}

const UNIT_MS = { h: 3_600_000, d: 86_400_000 } as const;

/** "24h" → 86 400 000. */
export function windowMs(window: UptimeWindow): number {
  const match = /^(\d+(?:\.\d+)?)([hd])$/.exec(window);
  if (!match) throw new RangeError(`uptime window must look like "24h" or "7d", got "${window}"`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Online share of [from, to) given transitions in any order (those outside the span only set its opening state). */
export function uptimeFraction(transitions: readonly Transition[], from: Date, to: Date): UptimeSpan {
  const sorted = [...transitions].sort((a, b) => a.at.getTime() - b.at.getTime());
  const start = from.getTime();
  const end = to.getTime();
  let state: boolean | null = null;
  let since = start;
  let onlineMs = 0;
  let knownMs = 0;
  const close = (until: number) => {
    const span = Math.max(0, until - since);
    if (state !== null) knownMs += span;
    if (state === true) onlineMs += span;
  };
  for (const t of sorted) {
    const at = t.at.getTime();
    if (at >= end) break;
    if (at > start) {
      close(at);
      since = at;
    }
    state = t.online;
  }
  close(end);
  return { onlineMs, knownMs, fraction: knownMs > 0 ? onlineMs / knownMs : null };
}
