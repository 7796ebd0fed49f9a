import { getInboxSummary } from "@/lib/webhooks/get-inbox-summary";

export const dynamic = "force-dynamic";

// The landing page: webhook inbox counters and the latest activity (the dashboard comes later).
export default async function Home() {
  const { states, activity, connections } = await getInboxSummary();
  const order = ["PENDING", "PROCESSING", "PROCESSED", "FAILED", "DEAD"] as const;
  return (
    <main style={{ maxWidth: 760, margin: "2rem auto", padding: "0 1rem" }}>
      <h1>WhaTrack</h1>
      <p>Operations hub for the WhatsApp Business Cloud API. Connected numbers: {connections}.</p>
      <h2>Webhook inbox</h2>
      <ul>
        {order.map((s) => (
          <li key={s}>
            {s.toLowerCase()}: {states[s] ?? 0}
          </li>
        ))}
      </ul>
      <h2>Latest activity</h2>
      {activity.length === 0 ? (
        <p>Nothing yet. Send a webhook (see the README) and reload.</p>
      ) : (
        <ul>
          {activity.map((a) => (
            <li key={a.id}>
              <time dateTime={a.createdAt.toISOString()}>{a.createdAt.toISOString().slice(11, 19)}</time> {a.summary}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
