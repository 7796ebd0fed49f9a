import { z } from "zod";
import { currentSessionSchema, passwordChangedSchema, sessionsEndedSchema, signedInSchema, signedOutSchema, signInSchema, signUpSchema } from "@/lib/auth/auth-schemas";
import { changePasswordSchema } from "@/lib/auth/change-password";
import { sessionSummarySchema } from "@/lib/auth/list-sessions";
import { listActivityQuery, activityListSchema } from "@/lib/activity/activity-schemas";
import { apiKeySchema, createApiKeySchema, createdApiKeySchema } from "@/lib/api-keys/api-keys-schemas";
import { listOutboxQuery, outboxListSchema } from "@/lib/alerts/alerts-schemas";
import {
  checkNowResultSchema,
  connectNumberSchema,
  connectionSchema,
  disconnectResultSchema,
  healthTimelineQuerySchema,
  healthTimelineSchema,
  updateConnectionSettingsSchema,
} from "@/lib/connections/connection-schemas";
import {
  conversationDetailSchema,
  conversationListSchema,
  listConversationsQuery,
  listMessagesQuery,
  messageListSchema,
} from "@/lib/conversations/conversations-schemas";
import { healthCheckListSchema, healthStatsSchema, listHealthChecksQuery } from "@/lib/health/health-check-schemas";
import { dataOnly as data, type Payload } from "@/lib/http/envelope";
import { mediaFormSchema } from "@/lib/media/read-media-form";
import { listTemplatesQuery, templateListSchema, templateSyncResultSchema } from "@/lib/templates/templates-schemas";
import { listOutboundQuery, outboundListSchema, outboundMessageSchema, queuedSchema, retryAllBody, retryAllResultSchema, sendMessageBody } from "@/lib/outbound/outbound-schemas";
import { dispatchResultSchema, jobOutcomeSchema, jobPausedSchema, jobStatusSchema } from "@/lib/jobs/jobs-schemas";
import { listWebhookEventsQuery, replayAllBody, replayAllResultSchema, replayResultSchema, webhookEventListSchema } from "@/lib/webhooks/webhooks-schemas";

// Every operation of the REST API with the zod schemas its route parses and answers with: the
// OpenAPI document is generated from these, so it cannot drift from what the routes accept. `response`
// is the success payload (`data` and any metadata beside it); the document wraps it in the envelope
// (lib/http/envelope.ts), and tests/e2e/envelope-walk.test.ts checks every route's answers against it.

export type Auth = "session" | "session-or-key" | "admin" | "cron" | "meta" | "metrics" | "none";

export type ApiOperation = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  tag: string;
  auth: Auth;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** How the body travels: JSON unless said (the media upload is multipart/form-data). */
  bodyType?: "multipart";
  response?: Payload;
  /** The answers that are not the envelope (docs/architecture.md): Meta's handshake challenge, the health probe, the Prometheus scrape. */
  exception?: "text" | "probe" | "metrics";
  status?: number;
};

export const API_OPERATIONS: ApiOperation[] = [
  { method: "post", path: "/api/v1/auth/sign-up", summary: "Create a workspace and its owner, and sign in", tag: "Auth", auth: "none", body: signUpSchema, response: data(signedInSchema), status: 201 },
  { method: "post", path: "/api/v1/auth/sign-in", summary: "Sign in (rate-limited)", tag: "Auth", auth: "none", body: signInSchema, response: data(signedInSchema) },
  { method: "post", path: "/api/v1/auth/sign-out", summary: "Sign out: end this session on the server", tag: "Auth", auth: "none", response: data(signedOutSchema) },
  { method: "get", path: "/api/v1/auth/sessions", summary: "The user's signed-in devices", tag: "Auth", auth: "session", response: data(z.array(sessionSummarySchema)) },
  { method: "delete", path: "/api/v1/auth/sessions", summary: "Sign out everywhere: end every session of the user", tag: "Auth", auth: "session", response: data(sessionsEndedSchema) },
  { method: "post", path: "/api/v1/auth/password", summary: "Change the password; ends the user's other sessions", tag: "Auth", auth: "session", body: changePasswordSchema, response: data(passwordChangedSchema) },
  { method: "get", path: "/api/v1/auth/me", summary: "The signed-in user and workspace", tag: "Auth", auth: "session", response: data(currentSessionSchema) },

  { method: "get", path: "/api/v1/connections", summary: "Every number with its health and uptime", tag: "Connections", auth: "session", response: data(z.array(connectionSchema)) },
  { method: "post", path: "/api/v1/connections", summary: "Connect a number (checked against Graph, webhooks subscribed, token sealed)", tag: "Connections", auth: "session", body: connectNumberSchema, response: data(connectionSchema), status: 201 },
  { method: "get", path: "/api/v1/connections/{id}", summary: "One number", tag: "Connections", auth: "session", response: data(connectionSchema) },
  { method: "patch", path: "/api/v1/connections/{id}", summary: "Auto-reply and alert settings", tag: "Connections", auth: "session", body: updateConnectionSettingsSchema, response: data(connectionSchema) },
  { method: "delete", path: "/api/v1/connections/{id}", summary: "Disconnect: unsubscribe webhooks and erase the token", tag: "Connections", auth: "session", response: data(disconnectResultSchema) },
  { method: "post", path: "/api/v1/connections/{id}/check", summary: "Check the number now", tag: "Connections", auth: "session", response: data(checkNowResultSchema) },
  { method: "get", path: "/api/v1/connections/{id}/health", summary: "Health timeline over 7 or 30 days", tag: "Connections", auth: "session", query: healthTimelineQuerySchema, response: data(healthTimelineSchema) },

  { method: "get", path: "/api/v1/conversations", summary: "Conversations, newest first, with the 24-hour window", tag: "Conversations", auth: "session", query: listConversationsQuery, response: conversationListSchema },
  { method: "get", path: "/api/v1/conversations/{id}", summary: "One conversation", tag: "Conversations", auth: "session", response: data(conversationDetailSchema) },
  { method: "get", path: "/api/v1/conversations/{id}/messages", summary: "Its messages with statuses", tag: "Conversations", auth: "session", query: listMessagesQuery, response: messageListSchema },

  { method: "post", path: "/api/v1/messages", summary: "Queue a message (text, template, media): 202 once stored; Idempotency-Key header makes repeats one message", tag: "Messages", auth: "session-or-key", body: sendMessageBody, response: data(queuedSchema), status: 202 },
  { method: "get", path: "/api/v1/messages", summary: "The workspace's sends, newest first (state=DEAD|FAILED: the ones to retry)", tag: "Messages", auth: "session-or-key", query: listOutboundQuery, response: outboundListSchema },
  { method: "get", path: "/api/v1/messages/{id}", summary: "One send: status, wamid, attempts, next attempt, Meta's error", tag: "Messages", auth: "session-or-key", response: data(outboundMessageSchema) },
  { method: "post", path: "/api/v1/messages/{id}/retry", summary: "Put a failed or dead send back in the queue (audit-logged)", tag: "Messages", auth: "session-or-key", response: data(queuedSchema) },
  { method: "post", path: "/api/v1/messages/retry", summary: "Put every failed and dead send back in the queue (audit-logged)", tag: "Messages", auth: "session-or-key", body: retryAllBody, response: data(retryAllResultSchema) },
  { method: "post", path: "/api/v1/outbox/drain", summary: "Drain the outbox in a fresh invocation (202; the drain's own hand-on)", tag: "Messages", auth: "cron", response: z.object({ message: z.string(), data: z.null() }), status: 202 },

  { method: "get", path: "/api/v1/activity", summary: "The activity feed (poll with `after`)", tag: "Activity", auth: "session", query: listActivityQuery, response: activityListSchema },
  { method: "get", path: "/api/v1/health-checks", summary: "The workspace's health-check history", tag: "Activity", auth: "session", query: listHealthChecksQuery, response: healthCheckListSchema },
  { method: "get", path: "/api/v1/emails", summary: "The email outbox (emails not sent by SMTP)", tag: "Activity", auth: "session", query: listOutboxQuery, response: outboxListSchema },

  { method: "get", path: "/api/v1/templates", summary: "Message templates synced from Meta, by name", tag: "Templates", auth: "session", query: listTemplatesQuery, response: templateListSchema },
  { method: "post", path: "/api/v1/templates/sync", summary: "Sync the workspace's templates from Meta now", tag: "Templates", auth: "session", response: data(templateSyncResultSchema) },
  {
    method: "post",
    path: "/api/v1/media",
    summary: "Upload a file to Meta for a number (multipart; 413 beyond its type's limit)",
    tag: "Media",
    auth: "session",
    body: mediaFormSchema,
    bodyType: "multipart",
    response: data(z.object({ id: z.string().describe("Meta's media id, valid 30 days"), mimeType: z.string(), size: z.number().int() })),
    status: 201,
  },

  { method: "get", path: "/api/v1/api-keys", summary: "The workspace's API keys (never the key itself)", tag: "API keys", auth: "session", response: data(z.array(apiKeySchema)) },
  { method: "post", path: "/api/v1/api-keys", summary: "Create an API key: the answer shows it once", tag: "API keys", auth: "session", body: createApiKeySchema, response: data(createdApiKeySchema), status: 201 },
  { method: "delete", path: "/api/v1/api-keys/{id}", summary: "Revoke an API key", tag: "API keys", auth: "session", response: data(apiKeySchema) },

  { method: "get", path: "/api/v1/webhook-events", summary: "Failed and dead webhook deliveries", tag: "Webhooks", auth: "session", query: listWebhookEventsQuery, response: webhookEventListSchema },
  { method: "post", path: "/api/v1/webhook-events/{id}/replay", summary: "Replay one failed or dead delivery", tag: "Webhooks", auth: "session", response: data(replayResultSchema) },
  { method: "post", path: "/api/v1/webhook-events/replay", summary: "Replay the workspace's failed deliveries (bounded batch)", tag: "Webhooks", auth: "session", body: replayAllBody, response: data(replayAllResultSchema) },
  { method: "get", path: "/api/v1/webhooks/whatsapp", summary: "Meta's verify handshake (answers the challenge as text/plain)", tag: "Webhooks", auth: "none", exception: "text" },
  { method: "post", path: "/api/v1/webhooks/whatsapp", summary: "Meta's webhook deliveries (X-Hub-Signature-256)", tag: "Webhooks", auth: "meta", response: data(z.object({ received: z.literal(true) })) },
  { method: "post", path: "/api/v1/webhooks/drain", summary: "Drain the webhook inbox in a fresh invocation (202; the drain's own hand-on)", tag: "Webhooks", auth: "cron", response: z.object({ message: z.string(), data: z.null() }), status: 202 },

  { method: "get", path: "/api/v1/jobs/{job}", summary: "Run a job (Vercel Cron)", tag: "Jobs", auth: "cron", response: jobOutcomeSchema },
  { method: "post", path: "/api/v1/jobs/{job}", summary: "Run a job (external cron)", tag: "Jobs", auth: "cron", response: jobOutcomeSchema },
  { method: "get", path: "/api/v1/jobs/{job}/status", summary: "A job's state and recent runs", tag: "Jobs", auth: "cron", response: data(jobStatusSchema) },
  { method: "get", path: "/api/v1/jobs/dispatch", summary: "Run every job whose scheduled slot is due (Vercel Cron)", tag: "Jobs", auth: "cron", response: dispatchResultSchema },
  { method: "post", path: "/api/v1/jobs/dispatch", summary: "Run every job whose scheduled slot is due", tag: "Jobs", auth: "cron", response: dispatchResultSchema },
  { method: "get", path: "/api/v1/cron/status", summary: "Every job's state (admin)", tag: "Jobs", auth: "admin", response: data(z.record(z.string(), jobStatusSchema)) },
  { method: "post", path: "/api/v1/cron/trigger/{job}", summary: "Run a job now (admin, audit-logged)", tag: "Jobs", auth: "admin", response: jobOutcomeSchema },
  { method: "post", path: "/api/v1/cron/stop/{job}", summary: "Pause a job (admin, audit-logged)", tag: "Jobs", auth: "admin", response: jobPausedSchema },
  { method: "post", path: "/api/v1/cron/start/{job}", summary: "Resume a job (admin, audit-logged)", tag: "Jobs", auth: "admin", response: jobPausedSchema },
  { method: "get", path: "/api/v1/cron/health-check/stats", summary: "Connections by health and connection status (admin)", tag: "Jobs", auth: "admin", response: data(healthStatsSchema) },
  { method: "get", path: "/api/health", summary: "Liveness and readiness (database, lock store, inbox and outbox lag): a probe's own body, 503 when not ready", tag: "Health", auth: "none", exception: "probe" },
  { method: "get", path: "/api/metrics", summary: "Prometheus metrics computed from the database at scrape time (docs/metrics.md)", tag: "Health", auth: "metrics", exception: "metrics" },
];
