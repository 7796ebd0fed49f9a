import { describe, expect, it } from "vitest";
import { explainGraphFailure } from "@/lib/connections/explain-graph-failure";
import { GraphError } from "@/lib/whatsapp/graph-error";

const token = "tok_0123456789abcdef0123";
const fromMeta = (httpStatus: number, error: Record<string, unknown>) => GraphError.fromResponse(httpStatus, { error });
const number = { step: "number", phoneNumberId: "1234567890" } as const;
const waba = { step: "subscribe", wabaId: "9876543210" } as const;

describe("explainGraphFailure", () => {
  it("a rejected token is a 422 naming Meta's reason and code", () => {
    const err = explainGraphFailure(number, fromMeta(401, { code: 190, error_subcode: 463, message: "Error validating access token: Session has expired" }), token);
    expect(err.status).toBe(422);
    expect(err.message).toMatch(/^Meta rejected the access token: Error validating access token: Session has expired \(Graph error 190\/463\)/);
    expect(err.message).toMatch(/Nothing was saved\.$/);
  });

  it("a permission error says the token may not manage the account", () => {
    const err = explainGraphFailure(waba, fromMeta(403, { code: 200, message: "Permissions error" }), token);
    expect(err.status).toBe(422);
    expect(err.message).toContain("may not manage WhatsApp Business Account 9876543210");
  });

  it("an unknown id points at the id, with Meta's details", () => {
    const err = explainGraphFailure(number, fromMeta(400, { code: 100, error_subcode: 33, message: "Unsupported get request", error_data: { details: "Object does not exist" } }), token);
    expect(err.message).toContain("could not find phone number 1234567890 with this token: Unsupported get request — Object does not exist (Graph error 100/33)");
  });

  it("a WABA Meta cannot list with this token points at the WABA id", () => {
    const err = explainGraphFailure({ step: "waba", wabaId: "9876543210" }, fromMeta(400, { code: 100, error_subcode: 33, message: "Unsupported get request" }), token);
    expect(err.status).toBe(422);
    expect(err.message).toContain("could not list the numbers of WhatsApp Business Account 9876543210 with this token");
    expect(err.message).toContain("Check the WhatsApp Business Account id");
  });

  it("throttling is a 429, an outage or an unreadable answer a 502", () => {
    expect(explainGraphFailure(number, fromMeta(400, { code: 80007 }), token).status).toBe(429);
    expect(explainGraphFailure(number, fromMeta(500, { code: 2 }), token).status).toBe(502);
    expect(explainGraphFailure(number, GraphError.timeout(10_000), token).status).toBe(502);
    expect(explainGraphFailure(number, GraphError.unexpectedBody(200, "id: missing"), token).status).toBe(502);
  });

  it("never repeats the token, even when Meta echoes it", () => {
    const err = explainGraphFailure(number, fromMeta(400, { code: 190, message: `Malformed access token ${token}` }), token);
    expect(err.message).not.toContain(token);
    expect(err.message).toContain("[redacted]");
  });
});
