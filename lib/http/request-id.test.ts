import { describe, expect, it } from "vitest";
import { requestIdOf, withRequestId } from "@/lib/http/request-id";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("request ids", () => {
  it("keeps a well-formed incoming id and replaces anything else with a fresh UUID", () => {
    expect(requestIdOf(new Headers({ "x-request-id": "lb-1234:abcd.EF_9" }))).toBe("lb-1234:abcd.EF_9");
    expect(requestIdOf(new Headers())).toMatch(UUID);
    for (const bad of ["", "short", "<script>alert(1)</script>", "a b c d e f g h", "x".repeat(129), "ok-id-but-\u00e9"]) {
      expect(requestIdOf(new Headers({ "x-request-id": bad })), bad).toMatch(UUID);
    }
    const [a, b] = [requestIdOf(new Headers()), requestIdOf(new Headers())];
    expect(a).not.toBe(b);
  });

  it("gives the handler the id and answers with it, even on a response whose headers are immutable", async () => {
    const seen: string[] = [];
    const json = withRequestId(async (_request, id) => (seen.push(id), Response.json({ ok: true })));
    const res = await json(new Request("http://localhost/x", { headers: { "x-request-id": "caller-id-0001" } }));
    expect(seen).toEqual(["caller-id-0001"]);
    expect(res.headers.get("x-request-id")).toBe("caller-id-0001");

    const redirect = withRequestId(() => Response.redirect("http://localhost/elsewhere", 307));
    const moved = await redirect(new Request("http://localhost/x"));
    expect(moved.status).toBe(307);
    expect(moved.headers.get("location")).toBe("http://localhost/elsewhere");
    expect(moved.headers.get("x-request-id")).toMatch(UUID);
  });
});
