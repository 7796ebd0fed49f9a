import { describe, expect, it } from "vitest";
import { connectionSchema } from "@/lib/connections/connection-schemas";
import type { ConnectionRow } from "@/lib/connections/get-connection-or-throw";
import { toConnectionView } from "@/lib/connections/to-connection-view";

const t = (iso: string) => new Date(iso);
const bytes = (s: string) => new Uint8Array(Buffer.from(s));

const row = {
  id: "c1",
  workspaceId: "w1",
  name: null,
  wabaId: "200",
  phoneNumberId: "100",
  displayPhoneNumber: "+1 555-010-2000",
  verifiedName: "Acme Bakery",
  status: "ACTIVE",
  tokenId: "t1",
  healthStatus: "HEALTHY",
  healthReason: null,
  lastHealthCheckAt: t("2026-03-01T10:00:00Z"),
  lastMonitoredAt: t("2026-03-01T10:15:00Z"),
  qualityRating: "GREEN",
  numberStatus: "CONNECTED",
  messagingLimit: "TIER_1K",
  webhookSubscribed: true,
  subscriptionCheckAt: t("2026-03-01T10:15:00Z"),
  lastConnectedAt: null,
  lastDisconnectedAt: null,
  offlineSince: null,
  lastAlertedAt: null,
  autoReplyEnabled: true,
  autoReplyText: null,
  autoReplyTypes: ["audio"],
  alertEmails: [],
  sendRatePerSecond: 80,
  pairIntervalMs: 6000,
  createdAt: t("2026-02-01T00:00:00Z"),
  updatedAt: t("2026-03-01T10:15:00Z"),
  token: {
    id: "t1",
    workspaceId: "w1",
    keyId: "k1",
    iv: bytes("iv-iv-iv-iv-"),
    ciphertext: bytes("CIPHERTEXT"),
    authTag: bytes("tag"),
    last4: "wxyz",
    isValid: true,
    invalidReason: null,
    invalidAt: null,
    expiresAt: t("2026-04-01T00:00:00Z"),
    lastValidatedAt: t("2026-03-01T10:00:00Z"),
    createdAt: t("2026-02-01T00:00:00Z"),
    updatedAt: t("2026-03-01T10:00:00Z"),
  },
} satisfies ConnectionRow;

const NOTHING_OBSERVED = { "24h": 0, "7d": 0, "30d": 0 };

describe("toConnectionView", () => {
  it("shows the token's state and last four characters, never its ciphertext or key", () => {
    const view = connectionSchema.parse(toConnectionView(row, { "24h": 1, "7d": 0.99, "30d": null }, { "24h": 86_400, "7d": 3_600, "30d": 0 }));
    expect(view.token).toEqual({ last4: "wxyz", valid: true, invalidReason: null, expiresAt: "2026-04-01T00:00:00.000Z", lastValidatedAt: "2026-03-01T10:00:00.000Z" });
    const json = JSON.stringify(view);
    for (const secret of ["CIPHERTEXT", "k1", "iv-iv", "tokenId"]) expect(json).not.toContain(secret);
  });

  it("takes the later of the two health jobs' last checks", () => {
    expect(toConnectionView(row, { "24h": null, "7d": null, "30d": null }, NOTHING_OBSERVED).health.lastCheckAt).toBe("2026-03-01T10:15:00.000Z");
    expect(toConnectionView({ ...row, lastMonitoredAt: null, lastHealthCheckAt: null }, { "24h": null, "7d": null, "30d": null }, NOTHING_OBSERVED).health.lastCheckAt).toBeNull();
  });
});
