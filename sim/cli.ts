import { parseArgs } from "node:util";
import { startGraphSimulator } from "@/sim/graph-server";
import { simulatedNumberDetails } from "@/sim/graph-fixtures";
import { runScenario } from "@/sim/send-webhooks";
import { MESSAGE_VARIANTS, type MessageVariant } from "@/sim/webhook-payloads";

// The Meta simulator from the command line:
//   npm run sim -- serve [--port 4010] [--host 127.0.0.1] [--latency 0] [--app-id ID]
//   npm run sim -- send --url URL --phone-number-id X --waba-id Y [--secret S] [--messages 10]
//                       [--types all|text,image,…] [--statuses] [--duplicates 2] [--concurrent 1]
//                       [--shuffle] [--batch-size 1] [--parallel 1] [--seed N]
// The app secret comes from --secret or WHATSAPP_APP_SECRET, and is never printed.

const USAGE = `usage:
  npm run sim -- serve [--port 4010] [--host 127.0.0.1] [--latency 0] [--app-id ID]
  npm run sim -- send --url URL --phone-number-id ID --waba-id ID [--secret S | env WHATSAPP_APP_SECRET]
                      [--display-phone-number N] [--messages 10] [--types all|${Object.keys(MESSAGE_VARIANTS).join(",")}]
                      [--statuses] [--duplicates K] [--concurrent C] [--shuffle] [--batch-size B] [--parallel P] [--seed N]
  (--types also accepts "interactive" and "system" for both of their variants)`;

class UsageError extends Error {}

function intOption(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer ≥ ${min}`);
  return n;
}

function parseTypes(value: string | undefined): MessageVariant[] {
  const all = Object.keys(MESSAGE_VARIANTS).filter((k): k is MessageVariant => Object.hasOwn(MESSAGE_VARIANTS, k));
  if (value === undefined) return ["text"];
  if (value === "all") return all;
  const groups: Record<string, MessageVariant[]> = {
    interactive: ["interactive_button_reply", "interactive_list_reply"],
    system: ["system_user_changed_number", "system_user_changed_user_id"],
  };
  return value.split(",").flatMap((raw) => {
    const name = raw.trim();
    const variant = all.find((v) => v === name);
    if (variant) return [variant];
    if (groups[name]) return groups[name];
    throw new UsageError(`unknown message type "${name}"; known: all, ${all.join(", ")}, interactive, system`);
  });
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { port: { type: "string" }, host: { type: "string" }, latency: { type: "string" }, "app-id": { type: "string" } },
  });
  const sim = await startGraphSimulator({
    port: intOption(values.port, "port", 4010),
    host: values.host ?? "127.0.0.1",
    latencyMs: intOption(values.latency, "latency", 0),
    appId: values["app-id"],
  });
  console.log(`Graph API simulator listening on ${sim.url}`);
  console.log(`  point the app at it:  GRAPH_API_BASE_URL=${sim.url}`);
  console.log(`  script it:            POST ${sim.url}/__sim/script | latency | token-invalid | subscribed | rate-limit | reset`);
  console.log(`  inspect it:           GET  ${sim.url}/__sim/stats | requests | sent-messages`);
  console.log("Ctrl-C to stop.");
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await sim.close();
}

async function send(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: "string" },
      secret: { type: "string" },
      "phone-number-id": { type: "string" },
      "waba-id": { type: "string" },
      "display-phone-number": { type: "string" },
      messages: { type: "string" },
      types: { type: "string" },
      statuses: { type: "boolean", default: false },
      duplicates: { type: "string" },
      concurrent: { type: "string" },
      shuffle: { type: "boolean", default: false },
      "batch-size": { type: "string" },
      parallel: { type: "string" },
      seed: { type: "string" },
    },
  });
  const url = values.url;
  const phoneNumberId = values["phone-number-id"];
  const wabaId = values["waba-id"];
  const appSecret = values.secret || process.env.WHATSAPP_APP_SECRET;
  if (!url || !phoneNumberId || !wabaId) throw new UsageError("send needs --url, --phone-number-id and --waba-id");
  if (!appSecret) throw new UsageError("send needs the app secret: --secret or WHATSAPP_APP_SECRET");

  const result = await runScenario({
    url,
    appSecret,
    phoneNumberId,
    wabaId,
    displayPhoneNumber: values["display-phone-number"] ?? simulatedNumberDetails(phoneNumberId).displayPhoneNumber,
    messages: intOption(values.messages, "messages", 10),
    types: parseTypes(values.types),
    statuses: values.statuses,
    duplicates: intOption(values.duplicates, "duplicates", 1, 1),
    concurrentCopies: intOption(values.concurrent, "concurrent", 1, 1),
    shuffle: values.shuffle,
    batchSize: intOption(values["batch-size"], "batch-size", 1, 1),
    parallel: intOption(values.parallel, "parallel", 1, 1),
    seed: values.seed !== undefined ? intOption(values.seed, "seed", 0) : undefined,
  });

  const s = result.summary;
  console.log(`sent ${result.deliveries} deliveries as ${s.count} requests to ${url}`);
  console.log(`  messages: ${result.messageIds.length}, status updates: ${result.statusWamids.length * 3}`);
  console.log(`  responses: ${Object.entries(s.byStatus).map(([code, n]) => `${code === "0" ? "no response" : code} ×${n}`).join(", ")}`);
  console.log(`  latency ms: p50 ${s.p50Ms}, p95 ${s.p95Ms}, max ${s.maxMs}`);
  const firstError = result.requests.find((r) => r.error)?.error;
  if (firstError) console.log(`  first network error: ${firstError}`);
  return s.failed > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "serve") {
      await serve(rest);
      return 0;
    }
    if (command === "send") return await send(rest);
    throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  } catch (err) {
    // parseArgs reports unknown options with a TypeError carrying a code; treat those as usage errors too.
    const isUsage = err instanceof UsageError || (err instanceof TypeError && "code" in err && String(err.code).startsWith("ERR_PARSE_ARGS"));
    if (!isUsage) throw err;
    console.error(`${err.message}\n\n${USAGE}`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
