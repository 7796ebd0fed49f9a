import { z } from "zod";
import type { SimTemplate } from "@/sim/graph-fixtures";
import type { NumberOverrides, RecordedRequest, ScriptRule, SendsPerSecond, SentMessage, SimulatorControl, SimulatorStats, UploadedMedia } from "@/sim/graph-state";

// Scripts a simulator running in another process (`npm run sim -- serve`) through its `/__sim/` API.
// Same operations as the in-process `control`, each returning a promise.

export type RemoteSimulatorControl = {
  [K in keyof SimulatorControl]: (...args: Parameters<SimulatorControl[K]>) => Promise<ReturnType<SimulatorControl[K]>>;
};

const recordedRequest = z.object({
  method: z.string(),
  path: z.string(),
  endpoint: z.string(),
  time: z.number(),
  status: z.number(),
  errorCode: z.number().optional(),
  phoneNumberId: z.string().optional(),
  wabaId: z.string().optional(),
  nodeId: z.string().optional(),
  mediaId: z.string().optional(),
});

const sentMessage = z.object({
  wamid: z.string(),
  phoneNumberId: z.string(),
  to: z.string(),
  waId: z.string(),
  type: z.string(),
  text: z.string().optional(),
  replyTo: z.string().optional(),
  time: z.number(),
  payload: z.unknown(),
});

const uploadedMedia = z.object({
  id: z.string(),
  phoneNumberId: z.string(),
  type: z.string(),
  mimeType: z.string(),
  filename: z.string(),
  size: z.number(),
  sha256: z.string(),
});

const stats = z.object({
  totalRequests: z.number(),
  byEndpoint: z.record(z.string(), z.number()),
  byStatus: z.record(z.string(), z.number()),
  peakPerSecond: z.number(),
});

const okReply = z.object({ ok: z.literal(true) });

export function connectGraphSimulator(baseUrl: string): RemoteSimulatorControl {
  const root = baseUrl.replace(/\/+$/, "");

  async function call<S extends z.ZodType>(method: "GET" | "POST", op: string, schema: S, body?: unknown): Promise<z.output<S>> {
    const res = await fetch(`${root}/__sim/${op}`, {
      method,
      headers: body !== undefined ? { "Content-Type": "application/json" } : undefined,
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`simulator control ${op} failed: HTTP ${res.status} ${JSON.stringify(json)}`);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new Error(`simulator control ${op}: unexpected reply ${JSON.stringify(json)}`);
    return parsed.data;
  }

  const post = async (op: string, body: unknown): Promise<void> => {
    await call("POST", op, okReply, body);
  };

  return {
    script: (rule: ScriptRule) => call("POST", "script", z.object({ id: z.string() }), rule),
    setLatency: (ms: number) => post("latency", { ms }),
    setTokenInvalid: (token: string, code?: number, subcode?: number) => post("token-invalid", { token, code, subcode }),
    setSubscribed: (wabaId: string, subscribed: boolean) => post("subscribed", { wabaId, subscribed }),
    setTokenExpiry: (token: string, expiresAt: Date | null) => post("token-expiry", { token, expiresAt: expiresAt?.toISOString() ?? null }),
    setRateLimit: (perSecond: number | null) => post("rate-limit", { perSecond }),
    setNumber: (phoneNumberId: string, overrides: NumberOverrides) => post("number", { phoneNumberId, overrides }),
    setTemplates: (wabaId: string, templates: SimTemplate[] | null) => post("templates", { wabaId, templates }),
    reset: () => post("reset", {}),
    requests: (): Promise<RecordedRequest[]> => call("GET", "requests", z.array(recordedRequest)),
    sentMessages: (): Promise<SentMessage[]> => call("GET", "sent-messages", z.array(sentMessage)),
    uploadedMedia: (): Promise<UploadedMedia[]> => call("GET", "uploaded-media", z.array(uploadedMedia)),
    stats: (): Promise<SimulatorStats> => call("GET", "stats", stats),
    sendsPerSecond: (phoneNumberId?: string): Promise<SendsPerSecond> =>
      call("GET", `sends-per-second${phoneNumberId ? `?phoneNumberId=${encodeURIComponent(phoneNumberId)}` : ""}`, z.array(z.object({ second: z.number(), count: z.number() }))),
  };
}
