import { z } from "zod";

// Request bodies of the auth routes (also the source of their OpenAPI description).

const email = z.email().max(254).transform((e) => e.trim().toLowerCase());
const password = z.string().min(10, "at least 10 characters").max(200);

export const signUpSchema = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  email,
  password,
  workspaceName: z.string().trim().min(2).max(80),
});

export const signInSchema = z.object({ email, password: z.string().min(1).max(200) });

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;
