import { AppError } from "@/lib/http/app-error";
import { readBody } from "@/lib/http/read-body";

// Every JSON body the dashboard and the API take is small (sign-in, settings, a message to send).
const JSON_LIMITS = { maxBytes: 100 * 1024, timeoutMs: 10_000 };

/** The request's JSON body (`{}` when it has none); bounded (413, 408); a body that is not JSON is a 400, not a 500. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = Buffer.from(await readBody(request, JSON_LIMITS)).toString("utf8");
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON");
  }
}
