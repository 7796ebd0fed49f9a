import { describe, expect, it } from "vitest";
import { connectionRecoveredEmail } from "@/lib/alerts/templates/connection-recovered-email";

describe("connectionRecoveredEmail", () => {
  const email = connectionRecoveredEmail({
    workspaceName: "Acme",
    connectionName: "Acme <Sales>",
    displayPhoneNumber: "+1 555 010 2000",
    offlineSince: new Date("2024-01-15T10:30:00Z"),
    recoveredAt: new Date("2024-01-16T12:00:00Z"),
  });

  it.each(["html", "text"] as const)("says which number is back, when, and after how long in %s", (part) => {
    expect(email[part]).toContain("+1 555 010 2000");
    expect(email[part]).toContain("2024-01-16 12:00 UTC");
    expect(email[part]).toContain("1 day 1 hour");
  });

  it("escapes the name in HTML only", () => {
    expect(email.html).toContain("Acme &lt;Sales&gt;");
    expect(email.html).not.toContain("<Sales>");
    expect(email.text).toContain("Acme <Sales>");
    expect(email.subject).toBe("WhatsApp number back online: Acme <Sales> (+1 555 010 2000)");
  });
});
