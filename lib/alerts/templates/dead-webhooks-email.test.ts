import { describe, expect, it } from "vitest";
import { deadWebhooksEmail } from "@/lib/alerts/templates/dead-webhooks-email";

describe("deadWebhooksEmail", () => {
  const input = { workspaceName: "Acme & Co", count: 3, oldestAt: new Date("2024-01-15T08:00:00Z"), lastError: "relation \"Message\" does not exist", now: new Date("2024-01-15T10:00:00Z"), dashboardUrl: "https://app.example.com/inbox" };
  const email = deadWebhooksEmail(input);

  it.each(["html", "text"] as const)("gives the count, the oldest, the last error and the link in %s", (part) => {
    expect(email[part]).toContain("3 webhook deliveries");
    expect(email[part]).toContain("2024-01-15 08:00 UTC (2 hours ago)");
    expect(email[part]).toContain(part === "html" ? "relation &quot;Message&quot; does not exist" : 'relation "Message" does not exist');
    expect(email[part]).toContain("https://app.example.com/inbox");
  });

  it("counts one in the singular and copes without an error", () => {
    const one = deadWebhooksEmail({ ...input, count: 1, lastError: null });
    expect(one.subject).toBe("1 webhook delivery from Meta could not be processed: Acme & Co");
    expect(one.text).toContain("Last error: none recorded");
    expect(email.html).toContain("Acme &amp; Co");
  });
});
