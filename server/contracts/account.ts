import { z } from "zod";

/** Input schemas of the account router: zod only, so forms in the browser validate with the same rules. */
export const SignUpInput = z.object({
  name: z.string().trim().min(1, "enter your name").max(100, "use at most 100 characters for your name"),
  email: z.string().trim().toLowerCase().email("enter a valid email address").max(254, "use at most 254 characters for your email"),
  password: z.string().min(12, "use at least 12 characters").max(200, "use at most 200 characters for your password"),
});
export type SignUpInput = z.infer<typeof SignUpInput>;

export const CreateApiTokenInput = z.object({
  name: z.string().trim().min(1, "name the token").max(60),
  expiresInDays: z.number().int().min(1).max(365).nullish(),
});

const count = z.number().int().min(0).max(10_000);
export const UpdateSettingsInput = z.object({
  signupEnabled: z.boolean().optional(),
  freeTierZones: z.array(z.string().trim().min(1).max(64)).max(20).optional(),
  freeDevelopmentEnvs: count.optional(),
  freeStagingEnvs: count.optional(),
  freeProductionEnvs: count.optional(),
  freeReplicas: count.optional(),
  freeCpuMillis: z.number().int().min(0).max(10_000_000).optional(),
  freeMemoryMiB: z.number().int().min(0).max(100_000_000).optional(),
});

export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1, "enter your current password").max(200),
  newPassword: z.string().min(12, "use at least 12 characters").max(200),
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

export const SetUserDisabledInput = z.object({ userId: z.string().min(1).max(64), disabled: z.boolean() });
