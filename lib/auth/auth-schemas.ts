import { z } from "zod";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from "@/lib/auth/assert-strong-password";

// Request bodies of the auth routes (also the source of their OpenAPI description).

const email = z.email().max(254).transform((e) => e.trim().toLowerCase());
// Length here; how guessable it is, in sign-up (assert-strong-password.ts: it needs the email and names).
const password = z.string().min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`).max(MAX_PASSWORD_LENGTH);

export const signUpSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  email,
  password,
  workspaceName: z.string().trim().min(2).max(80),
});

export const signInSchema = z.object({ email, password: z.string().min(1).max(MAX_PASSWORD_LENGTH) });

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;
