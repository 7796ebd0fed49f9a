import { describe, expect, it } from "vitest";
import { parseInternationalNumber } from "@/components/outbound/phone-number";

describe("parseInternationalNumber", () => {
  it("keeps the digits of a number written the usual ways", () => {
    for (const input of ["972501234567", "+972 50-123-4567", " +972 (50) 123 4567 ", "972.50.123.4567"]) {
      expect(parseInternationalNumber(input)).toEqual({ ok: true, digits: "972501234567" });
    }
  });

  it("refuses what WhatsApp's `to` cannot take, saying why", () => {
    const message = (input: string) => {
      const r = parseInternationalNumber(input);
      return r.ok ? null : r.message;
    };
    expect(message("")).toMatch(/Enter/);
    expect(message("0501234567")).toMatch(/country code/);
    expect(message("00972501234567")).toMatch(/00/);
    expect(message("1234567")).toMatch(/8 to 15/);
    expect(message("1234567890123456")).toMatch(/8 to 15/);
    expect(message("+972 50 abc")).toMatch(/digits only/);
    expect(message("972+501234567")).toMatch(/“\+”/);
  });
});
