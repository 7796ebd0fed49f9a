import { queryRows } from "@/lib/db/client";
import { describeMessage } from "@/lib/messages/describe-message";
import type { WebhookMessage } from "@/lib/whatsapp/webhook-schema";

export const WINDOW_MS = 24 * 60 * 60 * 1000;

export type InboundMessage = { workspaceId: string; connectionId: string; message: WebhookMessage; profileName: string | null };
export type RecordedMessage = { isNew: boolean; conversationId: string; contactId: string; timestamp: Date };

type Party = { contact_id: string | null; profile_name: string | null; conversation_id: string | null; ws: string; conn: string; wa: string };

const LOOKUP = `
  SELECT v.ws, v.conn, v.wa, c.id AS contact_id, c."profileName" AS profile_name, cv.id AS conversation_id
  FROM json_to_recordset($1::json) AS v(ws text, conn text, wa text)
  LEFT JOIN "Contact" c ON c."workspaceId" = v.ws AND c."waId" = v.wa
  LEFT JOIN "Conversation" cv ON cv."connectionId" = v.conn AND cv."contactId" = c.id`;

// A profile name is only written when it changed: re-delivered and repeated messages write nothing.
const UPSERT_CONTACTS = `
  INSERT INTO "Contact" (id, "workspaceId", "waId", "profileName", "createdAt", "updatedAt")
  SELECT gen_random_uuid()::text, v.ws, v.wa, v.name, now(), now()
  FROM json_to_recordset($1::json) AS v(ws text, wa text, name text) ORDER BY v.ws, v.wa
  ON CONFLICT ("workspaceId", "waId") DO UPDATE SET "profileName" = EXCLUDED."profileName", "updatedAt" = now()
    WHERE EXCLUDED."profileName" IS NOT NULL AND "Contact"."profileName" IS DISTINCT FROM EXCLUDED."profileName"`;

const INSERT_CONVERSATIONS = `
  INSERT INTO "Conversation" (id, "workspaceId", "connectionId", "contactId", "createdAt", "updatedAt")
  SELECT gen_random_uuid()::text, v.ws, v.conn, c.id, now(), now()
  FROM json_to_recordset($1::json) AS v(ws text, conn text, wa text)
  JOIN "Contact" c ON c."workspaceId" = v.ws AND c."waId" = v.wa
  ORDER BY v.conn, c.id
  ON CONFLICT ("connectionId", "contactId") DO NOTHING`;

// Inserts the messages (the unique wamid makes each exactly once) and, for the new ones only, moves
// each conversation once — counter, preview, 24-hour window from the messages' own timestamps,
// never backwards — and writes their activity events. Rows are locked in key order, so concurrent
// drainers cannot deadlock on each other.
const INSERT_MESSAGES = `
  WITH v AS (
    SELECT * FROM json_to_recordset($1::json)
      AS v(ws text, conn text, conv text, contact text, wamid text, type text, text text, content jsonb, ts timestamptz, opens boolean, summary text)
  ), ins AS (
    INSERT INTO "Message" (id, "workspaceId", "connectionId", "conversationId", "contactId", wamid, direction, type, text, content, status, timestamp, "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, ws, conn, conv, contact, wamid, 'INBOUND', type, text, content, 'RECEIVED', ts, now(), now() FROM v ORDER BY wamid
    ON CONFLICT (wamid) DO NOTHING
    RETURNING wamid
  ), fresh AS (
    SELECT v.* FROM v JOIN ins USING (wamid)
  ), agg AS (
    SELECT conv, count(*)::int AS n, max(ts) AS last_at, (array_agg(text ORDER BY ts DESC))[1] AS last_text, max(ts) FILTER (WHERE opens) AS last_inbound
    FROM fresh GROUP BY conv
  ), locked AS (
    SELECT id FROM "Conversation" WHERE id IN (SELECT conv FROM agg) ORDER BY id FOR UPDATE
  ), bump AS (
    UPDATE "Conversation" c SET
      "messageCount" = c."messageCount" + agg.n,
      "lastMessageText" = CASE WHEN c."lastMessageAt" IS NULL OR c."lastMessageAt" <= agg.last_at THEN agg.last_text ELSE c."lastMessageText" END,
      "lastMessageAt" = GREATEST(c."lastMessageAt", agg.last_at),
      "lastInboundAt" = GREATEST(c."lastInboundAt", agg.last_inbound),
      "windowExpiresAt" = GREATEST(c."windowExpiresAt", agg.last_inbound + interval '24 hours'),
      "updatedAt" = now()
    FROM agg JOIN locked ON locked.id = agg.conv
    WHERE c.id = agg.conv
  ), activity AS (
    INSERT INTO "ActivityEvent" (id, "workspaceId", "connectionId", type, summary, data, "dedupeKey", "createdAt")
    SELECT gen_random_uuid()::text, ws, conn, 'message.received', summary,
           jsonb_build_object('wamid', wamid, 'type', type, 'text', text, 'conversationId', conv), 'message.received:' || wamid, now()
    FROM fresh ORDER BY wamid
    ON CONFLICT ("dedupeKey") DO NOTHING
  )
  SELECT wamid FROM ins`;

const partyKey = (ws: string, conn: string, wa: string) => `${ws}\u0000${conn}\u0000${wa}`;

/**
 * Stores inbound messages — any number, from any customers of any numbers — with a few multi-row
 * statements: contacts and conversations are looked up in one; only missing ones (or a changed
 * profile name) are written; then one statement inserts the messages, moves their conversations and
 * records their activity. Safe to run again for the same messages: nothing is counted twice.
 * Returns, per wamid, whether this call stored it and where it lives.
 */
export async function recordInboundMessages(inputs: InboundMessage[]): Promise<Map<string, RecordedMessage>> {
  const byWamid = new Map<string, InboundMessage>();
  for (const input of inputs) if (!byWamid.has(input.message.id)) byWamid.set(input.message.id, input);
  const messages = [...byWamid.values()];
  if (messages.length === 0) return new Map();

  // The newest profile name each customer sent in this batch.
  const wanted = new Map<string, { ws: string; conn: string; wa: string; name: string | null }>();
  for (const m of messages) {
    const key = partyKey(m.workspaceId, m.connectionId, m.message.from);
    const seen = wanted.get(key);
    wanted.set(key, { ws: m.workspaceId, conn: m.connectionId, wa: m.message.from, name: m.profileName ?? seen?.name ?? null });
  }
  const keys = JSON.stringify([...wanted.values()].map(({ ws, conn, wa }) => ({ ws, conn, wa })));
  let parties = await queryRows<Party>(LOOKUP, [keys]);
  const stale = parties.filter((p) => {
    const name = wanted.get(partyKey(p.ws, p.conn, p.wa))?.name ?? null;
    return p.contact_id === null || (name !== null && name !== p.profile_name);
  });
  if (stale.length > 0) {
    const contacts = new Map(stale.map((p) => [`${p.ws}\u0000${p.wa}`, { ws: p.ws, wa: p.wa, name: wanted.get(partyKey(p.ws, p.conn, p.wa))?.name ?? null }]));
    await queryRows(UPSERT_CONTACTS, [JSON.stringify([...contacts.values()])]);
  }
  const needConversation = parties.filter((p) => p.conversation_id === null);
  if (needConversation.length > 0) await queryRows(INSERT_CONVERSATIONS, [JSON.stringify(needConversation.map(({ ws, conn, wa }) => ({ ws, conn, wa })))]);
  if (stale.length > 0 || needConversation.length > 0) parties = await queryRows<Party>(LOOKUP, [keys]);
  const where = new Map(parties.map((p) => [partyKey(p.ws, p.conn, p.wa), p]));

  const rows = messages.map((m) => {
    const party = where.get(partyKey(m.workspaceId, m.connectionId, m.message.from));
    if (!party?.contact_id || !party.conversation_id) throw new Error(`no conversation for message ${m.message.id}`);
    return {
      ws: m.workspaceId,
      conn: m.connectionId,
      conv: party.conversation_id,
      contact: party.contact_id,
      wamid: m.message.id,
      type: m.message.type,
      text: describeMessage(m.message),
      content: m.message,
      ts: new Date(Number(m.message.timestamp) * 1000).toISOString(),
      // `system` messages (number changes) do not open the customer-service window.
      opens: m.message.type !== "system",
      summary: `${m.message.type} message from ${m.profileName ?? m.message.from}`,
    };
  });
  const inserted = new Set((await queryRows<{ wamid: string }>(INSERT_MESSAGES, [JSON.stringify(rows)])).map((r) => r.wamid));
  return new Map(
    rows.map((r) => [r.wamid, { isNew: inserted.has(r.wamid), conversationId: r.conv, contactId: r.contact, timestamp: new Date(r.ts) }]),
  );
}
