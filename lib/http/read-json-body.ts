import { AppError } from "@/lib/http/app-error";

/** The request's JSON body (`{}` when it has none); a body that is not JSON is a 400, not a 500. */
export async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("bad_request", "The request body is not valid JSON");
  }
}
