import { describe, expect, it } from "vitest";
import { connectionCriticalEmail, RECONNECT_STEPS, TROUBLESHOOTING_TIPS } from "@/lib/alerts/templates/connection-critical-email";
import { escapeHtml } from "@/lib/alerts/templates/layout";

const now = new Date("2024-01-15T16:42:00Z");
const base = {
  workspaceName: "Acme",
  connectionName: "Acme Support",
  displayPhoneNumber: "+1 555 010 2000",
  offlineSince: new Date("2024-01-15T10:30:00Z"),
  lastConnectedAt: new Date("2024-01-15T10:15:00Z"),
  reason: "Webhook subscription missing",
  now,
};

describe("connectionCriticalEmail", () => {
  const email = connectionCriticalEmail(base);

  it.each(["html", "text"] as const)("gives name, number, duration in words and last connected in %s", (part) => {
    const body = email[part];
    expect(body).toContain("Acme Support");
    expect(body).toContain("+1 555 010 2000");
    expect(body).toContain("6 hours 12 minutes");
    expect(body).toContain("2024-01-15 10:15 UTC"); // last connected
    expect(body).toContain("2024-01-15 10:30 UTC"); // offline since
    expect(body).toContain("Webhook subscription missing");
  });

  it.each(["html", "text"] as const)("explains how to reconnect and how to troubleshoot in %s", (part) => {
    const body = email[part];
    expect(body).toContain("How to reconnect");
    expect(body).toContain("Troubleshooting");
    for (const line of [...RECONNECT_STEPS, ...TROUBLESHOOTING_TIPS]) expect(body).toContain(part === "html" ? escapeHtml(line) : line);
    expect(body).toMatch(/WhatsApp Manager/);
    expect(body).toMatch(/subscribed_apps/);
    expect(body).toMatch(/whatsapp_business_messaging/);
    expect(body).toMatch(/metastatus\.com/);
  });

  it("names the number and the duration in the subject", () => {
    expect(email.subject).toBe("WhatsApp number offline for 6 hours 12 minutes: Acme Support (+1 555 010 2000)");
  });

  it("says never when the number was never connected", () => {
    const e = connectionCriticalEmail({ ...base, lastConnectedAt: null });
    expect(e.text).toContain("Last connected: never");
  });

  it("escapes a hostile account name in HTML and keeps it out of the subject's header lines", () => {
    const hostile = `<script>alert("x")</script>\r\nBcc: victim@example.com`;
    const e = connectionCriticalEmail({ ...base, connectionName: hostile, workspaceName: "<b>W</b>", reason: `<img src=x onerror=alert(1)>` });
    expect(e.html).not.toContain("<script>");
    expect(e.html).not.toContain("<img");
    expect(e.html).not.toContain("<b>W</b>");
    expect(e.html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(e.subject).not.toMatch(/[\r\n]/);
    expect(e.text).toContain(`<script>alert("x")</script> Bcc: victim@example.com`); // plain text is not HTML: shown as is
  });

  it("links to the dashboard only with an http(s) URL", () => {
    expect(connectionCriticalEmail({ ...base, dashboardUrl: "https://app.example.com/c/1" }).html).toContain('href="https://app.example.com/c/1"');
    expect(connectionCriticalEmail({ ...base, dashboardUrl: "javascript:alert(1)" }).html).not.toContain("href=");
  });

  it("never lets a token quoted in the reason through", () => {
    const token = `EAAT${"x1".repeat(30)}`;
    const e = connectionCriticalEmail({ ...base, reason: `Graph said: bad token ${token} (GET /me?access_token=${token})` });
    expect(e.html).not.toContain(token);
    expect(e.text).not.toContain(token);
  });
});
