import { prisma } from "@/lib/db/client";

// The one place tenant isolation is enforced: a Prisma client for one workspace that adds
// `workspaceId` to every read, update and delete, and sets it on every create. Queries written for
// the dashboard and the API go through this client, so a forgotten filter cannot leak another
// tenant's rows: at worst the row is "not found" (404).

const TENANT_MODELS = new Set([
  "Membership",
  "WhatsAppConnection",
  "AccessToken",
  "Contact",
  "Conversation",
  "Message",
  "ActivityEvent",
  "WebhookEvent",
  "HealthCheck",
  "EmailMessage",
  "OutboundMessage",
  "ApiKey",
  "MessageTemplate",
]);
const WHERE_OPERATIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "delete",
  "deleteMany",
  "upsert",
]);

type Args = { where?: Record<string, unknown>; data?: unknown; create?: Record<string, unknown> };

function scopeArgs(model: string, operation: string, args: Args, workspaceId: string): Args {
  const scope =
    model === "Workspace" ? { id: workspaceId } : model === "ConnectionTransition" ? { connection: { workspaceId } } : TENANT_MODELS.has(model) ? { workspaceId } : null;
  if (!scope) throw new Error(`${model} is not tenant data: read it through a tenant model, not the scoped client`);
  const next: Args = { ...args };
  if (WHERE_OPERATIONS.has(operation)) next.where = { ...args.where, ...scope };
  if (operation === "upsert") next.create = { ...args.create, ...scope };
  if (operation === "create") next.data = { ...(args.data as object), ...scope };
  if (operation === "createMany" || operation === "createManyAndReturn") {
    next.data = (Array.isArray(args.data) ? args.data : [args.data]).map((row) => ({ ...(row as object), ...scope }));
  }
  return next;
}

export function scopedDb(workspaceId: string) {
  return prisma.$extends({
    name: "workspace-scope",
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          return query(scopeArgs(model, operation, args as Args, workspaceId) as typeof args);
        },
      },
    },
  });
}

export type ScopedDb = ReturnType<typeof scopedDb>;
