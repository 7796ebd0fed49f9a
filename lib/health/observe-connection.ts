import { getHealthStatus, getPhoneNumber, listSubscribedApps, subscribeApp, type PhoneNumberInfo } from "@/lib/whatsapp/graph-client";
import type { GraphError } from "@/lib/whatsapp/graph-error";
import type { RateLimited } from "@/lib/health/graph-rate-limit";
import { timedGraphCall, type GraphOutcome } from "@/lib/health/timed-graph-call";
import { combineFindings, graphErrorFinding, numberStatusFinding, sendHealthFinding, UP, type Finding } from "@/lib/health/connection-state";

// What Graph says about one connection right now: the number's status and quality, whether Meta lets it
// send, and whether our app is still subscribed to its WABA's webhooks — re-subscribing when it is not
// (the Cloud API's "reconnection": a lost subscription is why webhooks silently stop arriving).

export interface ObserveInput {
  token: string;
  phoneNumberId: string;
  wabaId: string;
  /** Our Meta app id, to find *our* subscription in the list; null = any subscribed app counts. */
  appId: string | null;
  rateLimited: RateLimited;
}

export interface ResubscribeAttempt {
  ok: boolean;
  latencyMs: number;
  error: GraphError | null;
}

export interface Observation {
  /** null: no verdict (a probe was throttled or failed transiently and none said offline). */
  online: boolean | null;
  reason: string;
  number: PhoneNumberInfo | null;
  canSendMessage: string | null;
  /** After any re-subscribe attempt; null = the listing failed. */
  subscribed: boolean | null;
  resubscribe: ResubscribeAttempt | null;
  /** Latency of the phone-number call. */
  latencyMs: number;
  /** The first Graph failure among the probes, for the HealthCheck row. */
  error: GraphError | null;
}

type Subscription = { finding: Finding; subscribed: boolean | null; resubscribe: ResubscribeAttempt | null };

async function ensureSubscribed(
  input: ObserveInput,
  apps: GraphOutcome<Array<{ appId: string }>>,
  tokenRejected: boolean,
): Promise<Subscription> {
  if (!apps.ok) return { finding: graphErrorFinding("webhook subscription", apps.error), subscribed: null, resubscribe: null };
  const subscribed = input.appId ? apps.value.some((a) => a.appId === input.appId) : apps.value.length > 0;
  if (subscribed) return { finding: UP, subscribed: true, resubscribe: null };
  const missing: Finding = { state: "down", reason: "the app is not subscribed to the WABA's webhooks" };
  // With the token rejected a re-subscribe can only fail the same way: leave that to the token check.
  if (tokenRejected) return { finding: missing, subscribed: false, resubscribe: null };
  const attempt = await timedGraphCall(input.rateLimited, () => subscribeApp({ token: input.token, wabaId: input.wabaId }));
  const resubscribe = { ok: attempt.ok, latencyMs: attempt.latencyMs, error: attempt.ok ? null : attempt.error };
  if (attempt.ok) return { finding: UP, subscribed: true, resubscribe };
  const failure = graphErrorFinding("re-subscribe", attempt.error);
  const reason = `${missing.reason}, and re-subscribing failed (${"reason" in failure ? failure.reason : "unknown"})`;
  return { finding: { state: "down", reason }, subscribed: false, resubscribe };
}

function healthProblem(entities: Awaited<ReturnType<typeof getHealthStatus>>["entities"]): string | null {
  const blocked = entities.find((e) => e.canSendMessage.toUpperCase() === "BLOCKED");
  const error = blocked?.errors[0];
  return blocked ? `${blocked.entityType}${error?.description ? `: ${error.description}` : ""}` : null;
}

/** Three reads in parallel (and one write when the subscription is gone), all through the rate limit. */
export async function observeConnection(input: ObserveInput): Promise<Observation> {
  const { token, phoneNumberId, wabaId, rateLimited } = input;
  const [number, health, apps] = await Promise.all([
    timedGraphCall(rateLimited, () => getPhoneNumber({ token, phoneNumberId })),
    timedGraphCall(rateLimited, () => getHealthStatus({ token, nodeId: phoneNumberId })),
    timedGraphCall(rateLimited, () => listSubscribedApps({ token, wabaId })),
  ]);
  const tokenRejected = [number, health, apps].some((o) => !o.ok && o.error.kind === "auth");
  const subscription = await ensureSubscribed(input, apps, tokenRejected);
  const findings = [
    number.ok ? numberStatusFinding(number.value.status) : graphErrorFinding("phone number", number.error),
    health.ok ? sendHealthFinding(health.value.canSendMessage, healthProblem(health.value.entities)) : graphErrorFinding("send health", health.error),
    subscription.finding,
  ];
  const firstError = [number, health, apps].find((o) => !o.ok);
  return {
    ...combineFindings(findings),
    number: number.ok ? number.value : null,
    canSendMessage: health.ok ? health.value.canSendMessage : null,
    subscribed: subscription.subscribed,
    resubscribe: subscription.resubscribe,
    latencyMs: number.latencyMs,
    error: firstError && !firstError.ok ? firstError.error : (subscription.resubscribe?.error ?? null),
  };
}
