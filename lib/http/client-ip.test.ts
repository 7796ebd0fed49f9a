import { describe, expect, it } from "vitest";
import { clientIpFrom, type ClientIpOptions } from "@/lib/http/client-ip";

const direct: ClientIpOptions = { vercel: false, trustedProxyHops: 0, peer: "198.51.100.4" };
const headers = (h: Record<string, string>) => new Headers(h);

describe("clientIpFrom", () => {
  it("with no proxy, the socket peer: a client-written X-Forwarded-For or X-Real-IP is ignored", () => {
    expect(clientIpFrom(headers({ "x-forwarded-for": "203.0.113.9", "x-real-ip": "203.0.113.10" }), direct)).toBe("198.51.100.4");
    expect(clientIpFrom(headers({}), { ...direct, peer: "::ffff:198.51.100.4" })).toBe("198.51.100.4");
    expect(clientIpFrom(headers({ "x-forwarded-for": "203.0.113.9" }), { ...direct, peer: undefined })).toBeNull();
  });

  it("behind N proxies, the entry N from the right of X-Forwarded-For, whatever the client wrote to its left", () => {
    const one = { ...direct, trustedProxyHops: 1 };
    expect(clientIpFrom(headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }), one)).toBe("203.0.113.9");
    expect(clientIpFrom(headers({ "x-forwarded-for": "6.6.6.6,203.0.113.9" }), { ...one, trustedProxyHops: 2 })).toBe("6.6.6.6");
    expect(clientIpFrom(headers({ "x-forwarded-for": "1.1.1.1, 6.6.6.6, 203.0.113.9, 10.0.0.2" }), { ...one, trustedProxyHops: 2 })).toBe("203.0.113.9");
    // Fewer entries than proxies: the request skipped the outer one; the leftmost is all there is.
    expect(clientIpFrom(headers({ "x-forwarded-for": "203.0.113.9" }), { ...one, trustedProxyHops: 3 })).toBe("203.0.113.9");
    expect(clientIpFrom(headers({}), one)).toBeNull();
  });

  it("on Vercel, the platform's x-real-ip, never X-Forwarded-For or the socket", () => {
    const vercel = { ...direct, vercel: true };
    expect(clientIpFrom(headers({ "x-real-ip": "203.0.113.9", "x-forwarded-for": "6.6.6.6" }), vercel)).toBe("203.0.113.9");
    expect(clientIpFrom(headers({}), vercel)).toBeNull();
  });

  it("refuses what is not an address, and cuts IPv6 to its /64 (one subscriber holds a whole /64)", () => {
    const one = { ...direct, trustedProxyHops: 1 };
    for (const junk of ["unknown", "127.1", "1.2.3.4.5", "<script>", "2001:db8::g"]) {
      expect(clientIpFrom(headers({ "x-forwarded-for": junk }), one)).toBeNull();
    }
    expect(clientIpFrom(headers({ "x-forwarded-for": "2001:db8:aa:bb:1:2:3:4" }), one)).toBe("2001:db8:aa:bb::/64");
    expect(clientIpFrom(headers({ "x-forwarded-for": "2001:DB8:AA:BB::99" }), one)).toBe("2001:db8:aa:bb::/64");
    expect(clientIpFrom(headers({}), { ...direct, peer: "::1" })).toBe("::/64");
  });
});
