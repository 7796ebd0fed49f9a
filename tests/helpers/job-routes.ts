import { GET as runGet, POST as runPost } from "@/app/api/v1/jobs/[job]/route";
import { GET as statusGet } from "@/app/api/v1/jobs/[job]/status/route";

// Calls the job routes' exported handlers with real Requests, as Vercel Cron or curl would.

type Auth = { bearer?: string; header?: string; query?: string };

function request(path: string, method: string, auth: Auth): Request {
  const headers = new Headers();
  if (auth.bearer !== undefined) headers.set("authorization", `Bearer ${auth.bearer}`);
  if (auth.header !== undefined) headers.set("x-cron-secret", auth.header);
  return new Request(`http://localhost${path}${auth.query ?? ""}`, { method, headers });
}

export const cronSecret = () => process.env.CRON_SECRET!;

export function callJob(job: string, auth: Auth = { bearer: cronSecret() }, method: "GET" | "POST" = "GET"): Promise<Response> {
  const handler = method === "GET" ? runGet : runPost;
  return handler(request(`/api/v1/jobs/${job}`, method, auth), { params: Promise.resolve({ job }) });
}

export function callJobStatus(job: string, auth: Auth = { header: cronSecret() }): Promise<Response> {
  return statusGet(request(`/api/v1/jobs/${job}/status`, "GET", auth), { params: Promise.resolve({ job }) });
}
