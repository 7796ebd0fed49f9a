// A customer's number as WhatsApp's `to` wants it: international digits (country code first), no
// "+", spaces, dashes or brackets. E.164 numbers have at most 15 digits; the shortest in use have 8.

export type PhoneNumberCheck = { ok: true; digits: string } | { ok: false; message: string };

export function parseInternationalNumber(input: string): PhoneNumberCheck {
  const trimmed = input.trim();
  if (!trimmed) return { ok: false, message: "Enter the customer's number." };
  if (/[^\d\s+()./-]/.test(trimmed)) return { ok: false, message: "Use digits only, with the country code first (for example 972501234567)." };
  if (trimmed.slice(1).includes("+")) return { ok: false, message: "A number has at most one “+”, at the start." };
  const digits = trimmed.replace(/\D/g, "");
  if (digits.startsWith("00")) return { ok: false, message: "Leave out the international prefix (00): start with the country code." };
  if (digits.startsWith("0")) return { ok: false, message: "Start with the country code (for example 44 or 972), not a leading 0." };
  if (digits.length < 8 || digits.length > 15) return { ok: false, message: "An international number has 8 to 15 digits, country code included." };
  return { ok: true, digits };
}
