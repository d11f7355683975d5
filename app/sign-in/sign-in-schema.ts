import { z } from "zod";

export const signInSchema = z.object({
  email: z
    .string()
    .trim()
    .min(1, { error: "Enter your email address." })
    .pipe(z.email({ error: "Enter a valid email address, like name@example.com." })),
  password: z.string().min(1, { error: "Enter your password." }),
});

export type SignInValues = z.infer<typeof signInSchema>;
export type SignInField = keyof SignInValues;
export type FieldErrors = Partial<Record<SignInField, string>>;

export function validateSignIn(input: Record<SignInField, string>): { values: SignInValues } | { errors: FieldErrors } {
  const parsed = signInSchema.safeParse(input);
  if (parsed.success) return { values: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if ((field === "email" || field === "password") && !errors[field]) errors[field] = issue.message;
  }
  return { errors };
}

/** next-auth's error string -> what the person should read. */
export function signInErrorMessage(error: string | null | undefined): string {
  if (error === "CredentialsSignin") return "Wrong email or password.";
  if (error === "RateLimited") return "Too many attempts, try again in a minute.";
  return "Sign-in failed. Please try again.";
}
