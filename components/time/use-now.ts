"use client";

import { useSyncExternalStore } from "react";

// One clock per interval for every component that shows a time relative to now. On the server
// and during hydration it reads null, so server and client render the same markup first.

type Clock = { now: number; listeners: Set<() => void>; timer: ReturnType<typeof setInterval> | null; subscribe: (onChange: () => void) => () => void };
const clocks = new Map<number, Clock>();

function clockFor(intervalMs: number): Clock {
  const existing = clocks.get(intervalMs);
  if (existing) return existing;
  const tick = () => {
    clock.now = Date.now();
    clock.listeners.forEach((listener) => listener());
  };
  // Stable per interval: a new subscribe function on every render would make React resubscribe each time.
  const clock: Clock = {
    now: Date.now(),
    listeners: new Set(),
    timer: null,
    subscribe: (onChange) => {
      clock.listeners.add(onChange);
      if (!clock.timer) {
        clock.timer = setInterval(tick, intervalMs);
        setTimeout(tick, 0); // the clock may have been idle: catch up once, outside React's commit
      }
      return () => {
        clock.listeners.delete(onChange);
        if (clock.listeners.size === 0 && clock.timer) {
          clearInterval(clock.timer);
          clock.timer = null;
        }
      };
    },
  };
  clocks.set(intervalMs, clock);
  return clock;
}

/** The current time in ms, refreshed every `intervalMs`; null until hydrated. */
export function useNow(intervalMs = 30_000): number | null {
  const clock = clockFor(intervalMs);
  return useSyncExternalStore(clock.subscribe, () => clock.now, () => null);
}
