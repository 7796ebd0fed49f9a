import { randomBytes } from "node:crypto";
import type { GraphSimulator } from "@/sim/graph-server";
import { buildDelivery, serializeLikeMeta, signBody, type ChangeInput } from "@/sim/webhook-payloads";
import { createConnection } from "@/lib/connections/create-connection";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { POST } from "@/app/api/v1/webhooks/whatsapp/route";

// Shared by the webhook route tests: a connected number in a fresh workspace, and signed posts to
// the real route handler (only `after()` is deferred, see tests/setup/environment.ts).

export function graphSimulator(): GraphSimulator {
  const sim = (globalThis as { __graphSimulator?: GraphSimulator }).__graphSimulator;
  if (!sim) throw new Error("the Graph simulator is started by tests/setup/environment.ts");
  return sim;
}

const appSecret = () => process.env.WHATSAPP_APP_SECRET!;

export type TestNumber = { workspaceId: string; connectionId: string; wabaId: string; phoneNumberId: string; displayPhoneNumber: string; token: string };

export async function connectTestNumber(settings: { autoReplyEnabled?: boolean; autoReplyText?: string; autoReplyTypes?: string[] } = {}): Promise<TestNumber> {
  const suffix = randomBytes(5).toString("hex");
  const workspace = await createWorkspace({ name: `Shop ${suffix}`, slug: `shop-${suffix}` });
  const phoneNumberId = String(100_000_000_000_000 + Math.floor(Math.random() * 1e12));
  const wabaId = String(200_000_000_000_000 + Math.floor(Math.random() * 1e12));
  const token = `EAAT${randomBytes(16).toString("hex")}`;
  const connection = await createConnection({ workspaceId: workspace.id, wabaId, phoneNumberId, accessToken: token, displayPhoneNumber: "+1 555 010 2000" });
  if (Object.keys(settings).length > 0) {
    const { prisma } = await import("@/lib/db/client");
    await prisma.whatsAppConnection.update({ where: { id: connection.id }, data: settings });
  }
  return { workspaceId: workspace.id, connectionId: connection.id, wabaId, phoneNumberId, displayPhoneNumber: "15550102000", token };
}

/** The wire form of a delivery for one number, as Meta would send it. */
export function deliveryFor(number: TestNumber, change: Omit<ChangeInput, "phoneNumberId" | "displayPhoneNumber">): string {
  return serializeLikeMeta(buildDelivery({ wabaId: number.wabaId, phoneNumberId: number.phoneNumberId, displayPhoneNumber: number.displayPhoneNumber, ...change }));
}

export function webhookRequest(body: string | Uint8Array, signature: string | null = signBody(Buffer.from(body), appSecret())): Request {
  const headers = new Headers({ "content-type": "application/json" });
  if (signature !== null) headers.set("x-hub-signature-256", signature);
  return new Request("http://localhost/api/v1/webhooks/whatsapp", { method: "POST", headers, body: Buffer.from(body) });
}

export async function postWebhook(body: string | Uint8Array, signature?: string | null): Promise<Response> {
  return POST(webhookRequest(body, signature));
}
