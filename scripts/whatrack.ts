// The admin CLI: `npm run whatrack -- <command> [options]`. Used by tests, benches and the demo
// until the dashboard's own flows exist. Prints JSON; never prints tokens.
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { closeDatabase, prisma } from "@/lib/db/client";
import { prepareDatabase } from "@/lib/db/prepare-database";
import { createConnection } from "@/lib/connections/create-connection";
import { createOwner } from "@/lib/users/create-owner";
import { createWorkspace } from "@/lib/workspaces/create-workspace";
import { seedDemoWorkspace } from "@/lib/workspaces/seed-demo-workspace";
import { drainOutbox } from "@/lib/outbound/drain-outbox";
import { drainInbox } from "@/lib/webhooks/drain-inbox";
import { mintAdminToken } from "@/lib/auth/admin-token";
import { rotateTokenKeys } from "@/lib/crypto/rotate-token-keys";

const USAGE = `Usage: npm run whatrack -- <command> [options]
  workspace:create  --name <name> [--slug <slug>]
  owner:create      --workspace <slug> --email <email> [--name <name>] [--password-stdin] [--admin]
  connection:create --workspace <slug> --waba-id <id> --phone-number-id <id> [--display-phone-number <n>] [--name <n>]
                    (--token-stdin | --token-env <VAR>)
  demo:seed         --token-env <VAR> [--password-env <VAR> | --password-stdin]
  admin:token       --subject <who> [--ttl-seconds 3600]   a bearer token for the admin API (system:manage)
  tokens:rotate     [--batch-size 100]   re-encrypt access tokens not sealed with the newest TOKEN_ENCRYPTION_KEY key
  webhooks:drain    process every stored delivery that is due (new, failed past its backoff, or claimed
                    by a drainer whose lease expired) until none is left (npm run worker keeps doing it)
  outbox:drain      send every queued message that is due (paced and retried as always) until none is due
Secrets are read from stdin or a named environment variable, never from the command line.`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: "string" },
    slug: { type: "string" },
    workspace: { type: "string" },
    email: { type: "string" },
    admin: { type: "boolean", default: false },
    "password-stdin": { type: "boolean", default: false },
    "waba-id": { type: "string" },
    "phone-number-id": { type: "string" },
    "display-phone-number": { type: "string" },
    "token-stdin": { type: "boolean", default: false },
    "token-env": { type: "string" },
    "password-env": { type: "string" },
    subject: { type: "string" },
    "batch-size": { type: "string", default: "100" },
    "ttl-seconds": { type: "string", default: "3600" },
    help: { type: "boolean", default: false },
  },
});

function need(name: keyof typeof values): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new Error(`--${name} is required\n\n${USAGE}`);
  return value;
}

function readSecret(stdinFlag: "token-stdin" | "password-stdin", envFlag?: "token-env" | "password-env"): string | undefined {
  if (values[stdinFlag]) return readFileSync(0, "utf8").trim();
  const variable = envFlag ? values[envFlag] : undefined;
  if (typeof variable === "string") {
    const secret = process.env[variable];
    if (!secret) throw new Error(`environment variable ${variable} is empty`);
    return secret;
  }
  return undefined;
}

async function workspaceBySlug(slug: string) {
  return prisma.workspace.findUniqueOrThrow({ where: { slug } });
}

async function run(command: string | undefined): Promise<unknown> {
  switch (command) {
    case "workspace:create":
      return createWorkspace({ name: need("name"), slug: values.slug });
    case "owner:create": {
      const workspace = await workspaceBySlug(need("workspace"));
      const user = await createOwner({ workspaceId: workspace.id, email: need("email"), name: values.name, password: readSecret("password-stdin"), isAdmin: values.admin });
      return { id: user.id, email: user.email, isAdmin: user.isAdmin, workspace: workspace.slug };
    }
    case "connection:create": {
      const workspace = await workspaceBySlug(need("workspace"));
      const accessToken = readSecret("token-stdin", "token-env");
      if (!accessToken) throw new Error(`an access token is required (--token-stdin or --token-env)\n\n${USAGE}`);
      const c = await createConnection({
        workspaceId: workspace.id,
        wabaId: need("waba-id"),
        phoneNumberId: need("phone-number-id"),
        displayPhoneNumber: values["display-phone-number"],
        name: values.name,
        accessToken,
      });
      return { id: c.id, wabaId: c.wabaId, phoneNumberId: c.phoneNumberId, workspace: workspace.slug };
    }
    case "demo:seed": {
      const accessToken = readSecret("token-stdin", "token-env");
      if (!accessToken) throw new Error("--token-env <VAR> is required");
      const { workspace, connection } = await seedDemoWorkspace({ accessToken, password: readSecret("password-stdin", "password-env") });
      return { workspace: workspace.slug, phoneNumberId: connection.phoneNumberId, wabaId: connection.wabaId };
    }
    case "admin:token": {
      const ttlSeconds = Number(values["ttl-seconds"]);
      if (!Number.isInteger(ttlSeconds) || ttlSeconds < 60 || ttlSeconds > 30 * 86_400) throw new Error("--ttl-seconds must be between 60 and 2592000");
      // The one output that is a secret: printed for the operator who asked, never logged.
      return { token: await mintAdminToken({ subject: need("subject"), ttlSeconds }), expiresInSeconds: ttlSeconds };
    }
    case "tokens:rotate": {
      const batchSize = Number(values["batch-size"]);
      if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error("--batch-size must be between 1 and 10000");
      const result = await rotateTokenKeys({ batchSize });
      if (result.failed > 0) process.exitCode = 1;
      return result;
    }
    case "webhooks:drain": {
      const slices = [];
      do slices.push(await drainInbox());
      while (slices.at(-1)!.hasMore);
      return { slices: slices.length, claimed: slices.reduce((n, s) => n + s.claimed, 0), done: slices.reduce((n, s) => n + s.done, 0), failed: slices.reduce((n, s) => n + s.failed, 0), dead: slices.reduce((n, s) => n + s.dead, 0) };
    }
    case "outbox:drain": {
      const slices = [];
      do slices.push(await drainOutbox());
      while (slices.at(-1)!.hasMore);
      return { slices: slices.length, claimed: slices.reduce((n, s) => n + s.claimed, 0), sent: slices.reduce((n, s) => n + s.done, 0), failed: slices.reduce((n, s) => n + s.failed, 0), dead: slices.reduce((n, s) => n + s.dead, 0), released: slices.reduce((n, s) => n + s.released, 0) };
    }
    default:
      throw new Error(USAGE);
  }
}

try {
  if (values.help) {
    console.log(USAGE);
  } else {
    await prepareDatabase();
    console.log(JSON.stringify(await run(positionals[0]), null, 2));
  }
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
