import { z } from "zod";

/** The free-tier quota fields of the sign-up settings, in form order. */
export const FREE_TIER_FIELDS = [
  { key: "freeDevelopmentEnvs", label: "Development environments", max: 10_000 },
  { key: "freeStagingEnvs", label: "Staging environments", max: 10_000 },
  { key: "freeProductionEnvs", label: "Production environments", max: 10_000 },
  { key: "freeReplicas", label: "Replicas", max: 10_000 },
  { key: "freeCpuMillis", label: "CPU (millicores)", max: 10_000_000 },
  { key: "freeMemoryMiB", label: "Memory (MiB)", max: 100_000_000 },
] as const;

const ZONE_NAME = /^[a-z0-9][a-z0-9-]*$/;

const limit = (max: number) =>
  z
    .number({ error: "enter a number" })
    .int("a whole number")
    .min(0, "0 or more")
    .max(max, `at most ${max.toLocaleString("en")}`);

/**
 * The sign-up settings form: the same bounds as the server's UpdateSettingsInput,
 * with the free-tier zones typed as comma-separated names (each a zone name:
 * lowercase letters, digits and dashes). The server checks that the zones exist.
 */
export const ZSignupSettingsForm = z.object({
  signupEnabled: z.boolean(),
  freeTierZones: z
    .string()
    .transform((text) => [
      ...new Set(
        text
          .split(",")
          .map((n) => n.trim())
          .filter(Boolean),
      ),
    ])
    // One message on the field itself (not per list item), so the form shows it under the input.
    .pipe(
      z
        .array(z.string())
        .max(20, "at most 20 zones")
        .refine(
          (names) => names.every((n) => n.length <= 64 && ZONE_NAME.test(n)),
          "zone names: lowercase letters, digits and dashes, separated by commas",
        ),
    ),
  ...(Object.fromEntries(FREE_TIER_FIELDS.map((f) => [f.key, limit(f.max)])) as Record<
    (typeof FREE_TIER_FIELDS)[number]["key"],
    ReturnType<typeof limit>
  >),
});
export type SignupSettingsFormInput = z.input<typeof ZSignupSettingsForm>;

/** The form's starting values from the stored settings. */
export function signupSettingsFormValues(
  s: { signupEnabled: boolean; freeTierZones: string[] } & Record<(typeof FREE_TIER_FIELDS)[number]["key"], number>,
): SignupSettingsFormInput {
  return {
    signupEnabled: s.signupEnabled,
    freeTierZones: s.freeTierZones.join(", "),
    ...(Object.fromEntries(FREE_TIER_FIELDS.map((f) => [f.key, s[f.key]])) as Record<(typeof FREE_TIER_FIELDS)[number]["key"], number>),
  };
}
