"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { activityListSchema, type ActivityEventView, type ActivityList } from "@/lib/activity/activity-schemas";
import { callApi } from "@/lib/http/call-api";
import { EmptyState } from "@/components/states/empty-state";
import { LocalTime } from "@/components/time/local-time";

// The live feed: the server's latest page, then `?after=` polled every 2.5 s (new events show up
// within seconds, without a reload). Polling pauses while the tab is hidden.

const POLL_MS = 2_500;
const MAX_SHOWN = 500;

export function ActivityFeed({ initial }: { initial: ActivityList }) {
  const [events, setEvents] = useState<ActivityEventView[]>(initial.data);
  const [olderCursor, setOlderCursor] = useState(initial.nextCursor);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [announcement, setAnnouncement] = useState("");
  const [failing, setFailing] = useState(false);
  const [freshIds, setFreshIds] = useState<Set<string>>(new Set());
  const latestCursor = useRef(initial.latestCursor);
  const knownIds = useRef<Set<string> | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    async function poll() {
      if (document.visibilityState === "visible" && latestCursor.current) {
        try {
          // Catch up page by page when a burst arrived; each call moves the cursor forward.
          for (let page = 0; page < 5 && !stopped; page++) {
            const after: string = latestCursor.current;
            const body = await callApi("GET", `/api/v1/activity?after=${encodeURIComponent(after)}&limit=100`, activityListSchema);
            if (!body.ok) throw new Error(body.message);
            latestCursor.current = body.latestCursor ?? latestCursor.current;
            addNewer(body.data);
            if (!body.hasNewer) break;
          }
          setFailing(false);
        } catch {
          setFailing(true);
        }
      }
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    }
    function addNewer(incoming: ActivityEventView[]) {
      // `after` repeats the last few seconds' events on purpose: only unseen ones are added.
      const known = (knownIds.current ??= new Set(initial.data.map((e) => e.id)));
      const added = incoming.filter((e) => !known.has(e.id));
      if (added.length === 0) return;
      added.forEach((e) => known.add(e.id));
      setEvents((current) => [...added, ...current].sort(newestFirst).slice(0, MAX_SHOWN));
      setAnnouncement(`${added.length} new event${added.length === 1 ? "" : "s"}: ${added[0]!.summary}`);
      setFreshIds(new Set(added.map((e) => e.id)));
    }
    timer = setTimeout(poll, POLL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [initial.data]);

  async function loadOlder() {
    if (!olderCursor) return;
    setLoadingOlder(true);
    try {
      const body = await callApi("GET", `/api/v1/activity?cursor=${encodeURIComponent(olderCursor)}&limit=50`, activityListSchema);
      if (!body.ok) throw new Error(body.message);
      const known = (knownIds.current ??= new Set(initial.data.map((e) => e.id)));
      const older = body.data.filter((e) => !known.has(e.id));
      older.forEach((e) => known.add(e.id));
      setEvents((current) => [...current, ...older]);
      setOlderCursor(body.nextCursor);
    } catch {
      setAnnouncement("Could not load older events. Try again.");
    }
    setLoadingOlder(false);
  }

  return (
    <div className="space-y-3">
      <p className="flex items-center gap-2 text-xs text-slate-600">
        <span aria-hidden className={`h-2 w-2 rounded-full ${failing ? "bg-amber-500" : "animate-pulse bg-brand-500"}`} />
        {failing ? "Reconnecting… new events will appear when the connection is back." : "Live: new events appear here automatically."}
      </p>
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>
      {events.length === 0 ? (
        <EmptyState title="No activity yet">Messages, delivery failures, health changes and webhook problems show up here the moment they happen.</EmptyState>
      ) : (
        <ol className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white" aria-label="Activity, newest first">
          {events.map((event) => (
            <li key={event.id} data-testid="activity-event" data-type={event.type} className={`flex gap-3 px-4 py-3 transition-colors duration-1000 ${freshIds.has(event.id) ? "bg-brand-50" : ""}`}>
              <Tone type={event.type} />
              <div className="min-w-0 flex-1">
                <p dir="auto" className="break-words text-sm text-slate-900">
                  {event.conversationId ? (
                    <Link href={`/conversations/${event.conversationId}`} className="hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
                      {event.summary}
                    </Link>
                  ) : (
                    event.summary
                  )}
                </p>
                <p className="mt-0.5 flex flex-wrap gap-x-2 text-xs text-slate-500">
                  <span className="font-mono">{event.type}</span>
                  <LocalTime iso={event.createdAt} format="datetime" />
                </p>
              </div>
            </li>
          ))}
        </ol>
      )}
      {olderCursor ? (
        <div className="text-center">
          <button
            type="button"
            onClick={loadOlder}
            disabled={loadingOlder}
            className="rounded-md px-3 py-1.5 text-sm font-medium text-brand-700 ring-1 ring-slate-200 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600 disabled:opacity-60"
          >
            {loadingOlder ? "Loading…" : "Load older events"}
          </button>
        </div>
      ) : null}
    </div>
  );
}

function newestFirst(a: ActivityEventView, b: ActivityEventView): number {
  const t = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  return t !== 0 ? t : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/** A coloured dot by kind of event: red for failures, amber for warnings, green for good news. */
function Tone({ type }: { type: string }) {
  const tone = /failed|dead|critical|invalid|error|offline|removed/.test(type)
    ? "bg-red-500"
    : /warning|expir|quality|retry/.test(type)
      ? "bg-amber-500"
      : /recovered|connected|healthy/.test(type)
        ? "bg-brand-500"
        : "bg-sky-500";
  return <span aria-hidden className={`mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full ${tone}`} />;
}
