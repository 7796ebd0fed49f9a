import type { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/auth-schemas";
import { AppError } from "@/lib/http/app-error";

// zxcvbn's 3: "safely unguessable" online (an estimated 10^8 guesses or more). Length alone let
// "1234567890" and "password123" through.
const MIN_SCORE = 3;

// The dictionaries (common passwords, English words and names) take ~1 s to load: once, on first use.
let factory: Promise<ZxcvbnFactory> | null = null;

function loadFactory(): Promise<ZxcvbnFactory> {
  factory ??= Promise.all([import("@zxcvbn-ts/core"), import("@zxcvbn-ts/language-common"), import("@zxcvbn-ts/language-en")]).then(
    ([core, common, en]) =>
      new core.ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations }),
  );
  return factory;
}

/**
 * Refuses a password that is too short or easy to guess (common passwords, keyboard walks, dates, the
 * account's own email, name or workspace name), with zxcvbn's reason and advice in the message.
 */
export async function assertStrongPassword(password: string, related: (string | null | undefined)[] = []): Promise<void> {
  if (password.length < MIN_PASSWORD_LENGTH) throw new AppError("unprocessable_entity", `password: at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH) throw new AppError("unprocessable_entity", `password: at most ${MAX_PASSWORD_LENGTH} characters`);
  // zxcvbn matches each input as a whole word: "Levi Bakery" also as "levi", "bakery" and "levibakery",
  // an email's local part and domain each on their own.
  const userInputs = related.flatMap((value) =>
    (value ?? "").split("@").flatMap((part) => {
      const words = part.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((word) => word.length >= 3);
      return words.length ? [...words, words.join("")] : [];
    }),
  );
  const { score, feedback } = (await loadFactory()).check(password, [...userInputs, "whatrack", "whatsapp"]);
  if (score >= MIN_SCORE) return;
  const advice = [feedback.warning, ...feedback.suggestions].filter(Boolean).join(" ");
  throw new AppError("unprocessable_entity", `password: too easy to guess. ${advice || "Use a few uncommon words, or a password manager's."}`.trim());
}
