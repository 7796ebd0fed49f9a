import { describe, expect, it, vi } from "vitest";

// APP_URL is read once when lib/env loads: set it first, then load the layout.
vi.stubEnv("APP_URL", "https://whatrack.example.com/base/");
const { appLink, escapeHtml, oneLine, renderEmail } = await import("@/lib/alerts/templates/layout");

describe("layout", () => {
  it("escapes the five HTML characters", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });

  it("flattens control characters and truncates one-line values", () => {
    expect(oneLine("a\r\nb\tc\u0000d")).toBe("a b c d");
    expect(oneLine("x".repeat(10), 5)).toBe("xxxx…");
  });

  it("links under APP_URL, or to an explicit http(s) URL", () => {
    expect(appLink(undefined)).toBe("https://whatrack.example.com/base/");
    expect(appLink(undefined, "connections")).toBe("https://whatrack.example.com/base/connections");
    expect(appLink("https://other.example.com/x")).toBe("https://other.example.com/x");
    expect(appLink("data:text/html,hi")).toBeNull();
  });

  it("renders the same content to HTML and text", () => {
    const email = renderEmail({
      subject: "S\nubject",
      heading: "Heading",
      blocks: [
        { kind: "paragraph", text: "Hello & welcome" },
        { kind: "details", rows: [["Key", "Value"]] },
        { kind: "list", title: "Steps", items: ["one", "two"], ordered: true },
        { kind: "link", label: "Open", url: "https://x.example.com/?a=1&b=2" },
        { kind: "link", label: "Nowhere", url: null },
      ],
      footer: "Footer",
    });
    expect(email.subject).toBe("S ubject");
    expect(email.text).toBe("Heading\n\nHello & welcome\n\nKey: Value\n\nSteps\n1. one\n2. two\n\nOpen: https://x.example.com/?a=1&b=2\n\n--\n\nFooter\n");
    expect(email.html).toContain("Hello &amp; welcome");
    expect(email.html).toContain("<ol");
    expect(email.html).toContain('href="https://x.example.com/?a=1&amp;b=2"');
    expect(email.html).not.toContain("Nowhere");
  });
});
