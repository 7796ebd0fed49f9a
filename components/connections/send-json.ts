// The dashboard's calls to its own API from the browser: `{ data }` on success, the API's error message
// (`{ error: { message } }`) otherwise, and a plain sentence when the network fails.

export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string };

export async function sendJson<T>(method: "POST" | "PATCH" | "DELETE", url: string, body?: unknown): Promise<ApiResult<T>> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, message: "Could not reach WhaTrack. Check your connection and try again." };
  }
  const json: unknown = await res.json().catch(() => null);
  const envelope = json && typeof json === "object" ? (json as { data?: T; error?: { message?: unknown } }) : {};
  if (res.ok && "data" in envelope) return { ok: true, data: envelope.data as T };
  const message = typeof envelope.error?.message === "string" ? envelope.error.message : `Something went wrong (HTTP ${res.status}). Try again.`;
  return { ok: false, status: res.status, message };
}
