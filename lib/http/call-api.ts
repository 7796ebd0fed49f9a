import type { z } from "zod";
import { errorEnvelopeSchema, successEnvelope, type Payload } from "@/lib/http/envelope";

// The dashboard's one way to call its own API from the browser: sends JSON, reads the envelope, and
// parses a success with the payload schema the route itself declares (lib/<domain>/*-schemas.ts), so
// a component never trusts a cast. Failures come back as a sentence to show, never as a throw.

export type ApiFailure = { ok: false; status: number; code: z.infer<typeof errorEnvelopeSchema>["error"]["code"] | null; message: string };
export type ApiResult<T> = ({ ok: true } & T) | ApiFailure;

type Method = "GET" | "POST" | "PATCH" | "DELETE";

export async function callApi<P extends Payload>(method: Method, url: string, payload: P, body?: unknown): Promise<ApiResult<z.output<P>>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      cache: "no-store",
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, code: null, message: "Could not reach WhaTrack. Check your connection and try again." };
  }
  const json: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const answer = successEnvelope(payload).safeParse(json);
    if (answer.success) return { ok: true, ...(answer.data as z.output<P>) };
    // A page older than the server it talks to (a deploy in between) is the likely cause.
    return { ok: false, status: res.status, code: null, message: "WhaTrack answered in a form this page does not know: reload the page and try again." };
  }
  const error = errorEnvelopeSchema.safeParse(json);
  if (error.success) return { ok: false, status: res.status, code: error.data.error.code, message: error.data.error.message };
  return { ok: false, status: res.status, code: null, message: `Something went wrong (HTTP ${res.status}). Try again.` };
}
