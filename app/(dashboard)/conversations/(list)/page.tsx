import Link from "next/link";
import { getPageSession } from "@/lib/auth/get-page-session";
import { listConversationsQuery, type ConversationSummary } from "@/lib/conversations/conversations-schemas";
import { listConversations } from "@/lib/conversations/list-conversations";
import { listConnectionChoices } from "@/lib/connections/list-connection-choices";
import { StartConversation } from "@/components/outbound/start-conversation";
import { EmptyState } from "@/components/states/empty-state";
import { LocalTime } from "@/components/time/local-time";
import { AutoRefresh } from "@/app/(dashboard)/conversations/auto-refresh";
import { WindowBadge } from "@/app/(dashboard)/conversations/window-badge";

export const metadata = { title: "Conversations" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ConversationsPage({ searchParams }: { searchParams: SearchParams }) {
  const { session, db } = await getPageSession();
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const parsed = listConversationsQuery.safeParse({ q: first(raw.q), cursor: first(raw.cursor) });
  const query = parsed.success ? parsed.data : listConversationsQuery.parse({ q: first(raw.q)?.slice(0, 100) });
  const [{ data, nextCursor }, connections] = await Promise.all([listConversations(db, { workspaceId: session.workspaceId }, query), listConnectionChoices(db)]);
  const q = query.q ?? "";
  const withQ = (extra: Record<string, string>) => `/conversations?${new URLSearchParams({ ...(q ? { q } : {}), ...extra })}`;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold text-slate-900">Conversations</h1>
          <p className="text-sm text-slate-600">Latest first. The 24-hour window shows whether you can still reply freely.</p>
        </div>
        <form role="search" action="/conversations" className="flex w-full gap-2 sm:w-auto">
          <label htmlFor="conversation-search" className="sr-only">
            Search conversations by name, number or message
          </label>
          <input
            id="conversation-search"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="Name, number or message…"
            maxLength={100}
            className="min-w-0 flex-1 rounded-md border border-slate-300 bg-white px-3 py-2 text-base shadow-sm focus:border-brand-600 focus:outline-2 focus:outline-brand-600 sm:w-72 sm:text-sm"
          />
          <button type="submit" className="rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600">
            Search
          </button>
        </form>
        <StartConversation connections={connections} />
      </div>

      {q ? (
        <p className="text-sm text-slate-600" aria-live="polite">
          {data.length === 0 ? "No conversations match" : "Conversations matching"} “{q}”.{" "}
          <Link href="/conversations" className="font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-brand-600">
            Clear search
          </Link>
        </p>
      ) : null}

      {data.length === 0 ? (
        q ? (
          <EmptyState title={`Nothing matches “${q}”`}>Search looks at contact names, phone numbers and the text of every message.</EmptyState>
        ) : query.cursor ? (
          <EmptyState title="No older conversations" action={<Link href="/conversations" className="text-sm font-medium text-brand-700 hover:underline">Back to the latest</Link>} />
        ) : (
          <EmptyState title="No conversations yet" action={<Link href="/" className="text-sm font-medium text-brand-700 hover:underline">Check your numbers on the Overview</Link>}>
            When customers message one of your connected numbers, their conversations appear here within seconds.
          </EmptyState>
        )
      ) : (
        <ul className="divide-y divide-slate-100 overflow-hidden rounded-lg border border-slate-200 bg-white" aria-label="Conversations">
          {data.map((c) => (
            <ConversationRow key={c.id} conversation={c} />
          ))}
        </ul>
      )}

      <nav aria-label="Pages" className="flex justify-between text-sm">
        {query.cursor ? (
          <Link href={withQ({})} className="rounded-md px-2 py-1 font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600">
            ← Latest
          </Link>
        ) : (
          <span />
        )}
        {nextCursor ? (
          <Link href={withQ({ cursor: nextCursor })} className="rounded-md px-2 py-1 font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600">
            Older conversations →
          </Link>
        ) : null}
      </nav>
      {!q && !query.cursor ? <AutoRefresh intervalMs={5_000} /> : null}
    </div>
  );
}

function ConversationRow({ conversation: c }: { conversation: ConversationSummary }) {
  const name = c.contact.name ?? `+${c.contact.waId}`;
  return (
    <li>
      <Link
        href={`/conversations/${c.id}`}
        className="flex gap-3 px-4 py-3 hover:bg-slate-50 focus-visible:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600"
      >
        <span aria-hidden className="mt-0.5 flex h-10 w-10 shrink-0 items-center justify-center rounded-full bg-brand-100 text-sm font-semibold text-brand-700">
          {initials(name)}
        </span>
        <span className="min-w-0 flex-1">
          <span className="flex flex-wrap items-baseline justify-between gap-x-3">
            <span dir="auto" className="truncate font-medium text-slate-900">
              {name}
            </span>
            {c.lastMessageAt ? <LocalTime iso={c.lastMessageAt} format="relative" className="shrink-0 text-xs text-slate-500" /> : null}
          </span>
          <span dir="auto" className="block truncate text-sm text-slate-600">
            {c.lastMessageText ?? "—"}
          </span>
          <span className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
            <WindowBadge expiresAt={c.window.expiresAt} secondsLeft={c.window.secondsLeft} />
            {c.contact.name ? <span>+{c.contact.waId}</span> : null}
            <span>
              to {c.connection.name ?? c.connection.displayPhoneNumber ?? "your number"} · {c.messageCount} received
            </span>
          </span>
        </span>
      </Link>
    </li>
  );
}

function initials(name: string): string {
  const letters = name
    .replace(/^\+/, "")
    .split(/\s+/)
    .map((w) => [...w][0] ?? "")
    .join("");
  return [...letters].slice(0, 2).join("").toUpperCase() || "?";
}
