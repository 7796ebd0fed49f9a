import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { env } from "@/lib/env";
import { AppError } from "@/lib/http/app-error";
import { peerAddress } from "@/lib/http/peer-address";

export type ClientIpOptions = { vercel: boolean; trustedProxyHops: number; peer: string | undefined };

/**
 * The client's address, from what no client can write (docs/security.md):
 * - on Vercel, `x-real-ip`: the platform sets it (and overwrites X-Forwarded-For) at its edge;
 * - behind `trustedProxyHops` proxies of yours, the X-Forwarded-For entry that many from the right: the
 *   address the outermost of them saw. Entries further left were written by the client;
 * - with no proxy, the TCP peer (lib/http/peer-address.ts). `next start` leaves a client-written
 *   X-Forwarded-For untouched, so with no proxy in front that header is never read.
 * An IPv6 address is cut to its /64: one subscriber or server gets a whole /64, so a limit per address
 * would otherwise be a limit per… 2^64 addresses. Null when the address cannot be told.
 */
export function clientIpFrom(headers: Headers, options: ClientIpOptions): string | null {
  if (options.vercel) return normalize(headers.get("x-real-ip"));
  if (options.trustedProxyHops === 0) return normalize(options.peer);
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the request skipped an outer proxy, and the leftmost is the best we have.
  return normalize(forwarded[Math.max(0, forwarded.length - options.trustedProxyHops)]);
}

/**
 * The client address of a request to this server. Throws 503 when it cannot be told: a request that
 * reached `next start` before instrumentation ran (the first moment after a start), or a host that is
 * neither Vercel nor Node's HTTP server with TRUSTED_PROXY_HOPS=0. Refusing is the safe side: a shared
 * "unknown" bucket would let one client's failures lock out everyone else in it.
 */
export function clientIp(request: Request): string {
  const ip = clientIpFrom(request.headers, { vercel: env.VERCEL === "1", trustedProxyHops: env.TRUSTED_PROXY_HOPS, peer: peerAddress() });
  if (ip) return ip;
  throw new AppError("unavailable", "Cannot tell where this request comes from yet: try again in a moment", {
    details: "no client address: behind a proxy, set TRUSTED_PROXY_HOPS (docs/security.md)",
  });
}

function normalize(value: string | null | undefined): string | null {
  // isIP is strict (ipaddr.js alone also takes forms like "127.1"); a header may hold anything.
  if (!value || isIP(value) === 0) return null;
  let address = ipaddr.parse(value);
  if (address.kind() === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
  if (address.kind() === "ipv4") return address.toString();
  const network = (address as ipaddr.IPv6).toNormalizedString().split(":").slice(0, 4).join(":");
  return `${ipaddr.parse(`${network}::`).toString()}/64`;
}
