import { describe, expect, it } from "vitest";
import { tokenInvalidEmail } from "@/lib/alerts/templates/token-invalid-email";

describe("tokenInvalidEmail", () => {
  const input = { workspaceName: "Acme", connectionName: "Support", displayPhoneNumber: "+1 555 010 2000", reason: "Error validating access token: Session has expired", errorCode: 190 };
  const email = tokenInvalidEmail(input);

  it.each(["html", "text"] as const)("tells what failed and how to make a new system-user token in %s", (part) => {
    expect(email[part]).toContain("Support");
    expect(email[part]).toContain("190");
    expect(email[part]).toContain("Session has expired");
    expect(email[part]).toContain("System users");
    expect(email[part]).toContain("whatsapp_business_messaging");
    expect(email[part]).toContain("whatsapp_business_management");
  });

  it("keeps a token quoted by Meta out of the email", () => {
    const token = `EAAG${"Zk9".repeat(20)}`;
    const e = tokenInvalidEmail({ ...input, reason: `Invalid OAuth access token - Cannot parse access token ${token}`, errorCode: null });
    expect(e.text).not.toContain(token);
    expect(e.html).not.toContain(token);
    expect(e.text).toContain("Error code: none");
  });
});
