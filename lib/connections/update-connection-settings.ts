import type { ConnectionView, UpdateConnectionSettingsInput } from "@/lib/connections/connection-schemas";
import { describeConnection } from "@/lib/connections/describe-connection";
import { getConnectionOrThrow } from "@/lib/connections/get-connection-or-throw";
import { AppError } from "@/lib/http/app-error";
import type { ScopedDb } from "@/lib/tenancy/scoped-db";
import { forgetRoutingConnection } from "@/lib/webhooks/find-routing-connection";

/** Name, auto-reply (on/off, text, message types) and alert recipients of one number. */
export async function updateConnectionSettings(db: ScopedDb, id: string, input: UpdateConnectionSettingsInput): Promise<ConnectionView> {
  const c = await getConnectionOrThrow(db, id);
  if (c.status === "REMOVED") throw new AppError("conflict", "This number is disconnected: connect it again to change its settings");
  const updated = await db.whatsAppConnection.update({ where: { id }, data: input, include: { token: true } });
  // This process routes webhooks with the new settings at once; others within the cache's 30 s.
  forgetRoutingConnection(c.phoneNumberId);
  return describeConnection(updated);
}
