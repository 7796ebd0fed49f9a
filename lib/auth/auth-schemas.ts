import { z } from "zod";

// Request bodies and response data of the auth routes (also the source of their OpenAPI description).
// Plain zod, nothing else: the browser parses the answers with these too.

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

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

/** Sign-up and sign-in: who is now signed in (the session itself travels in the cookie). */
export const signedInSchema = z.object({ userId: z.string(), workspaceId: z.string() });

/** GET /api/v1/auth/me */
export const currentSessionSchema = z.object({
  userId: z.string(),
  workspaceId: z.string(),
  sessionId: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(["OWNER", "MEMBER"]),
  isAdmin: z.boolean(),
  workspaceName: z.string(),
});

export const passwordChangedSchema = z.object({ endedSessions: z.number().int().describe("The user's other sessions, now ended") });
export const sessionsEndedSchema = z.object({ ended: z.number().int() });
export const signedOutSchema = z.object({ signedOut: z.literal(true) });

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;
