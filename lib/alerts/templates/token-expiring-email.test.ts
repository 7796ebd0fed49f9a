import { describe, expect, it } from "vitest";
import { tokenExpiringEmail } from "@/lib/alerts/templates/token-expiring-email";

describe("tokenExpiringEmail", () => {
  const input = { workspaceName: "Acme", connectionName: "Support", displayPhoneNumber: null, expiresAt: new Date("2024-01-18T09:00:00Z"), now: new Date("2024-01-15T09:00:00Z") };

  it.each(["html", "text"] as const)("says when the token expires and how to replace it in %s", (part) => {
    const email = tokenExpiringEmail(input);
    expect(email[part]).toContain("expires in 3 days");
    expect(email[part]).toContain("2024-01-18 09:00 UTC");
    expect(email[part]).toContain("whatsapp_business_management");
    expect(email[part]).toContain("unknown number");
  });

  it("says it has expired once the date is past", () => {
    const email = tokenExpiringEmail({ ...input, now: new Date("2024-01-19T09:00:00Z") });
    expect(email.subject).toBe("Access token has expired: Support (unknown number)");
  });
});
