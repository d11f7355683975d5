import { z } from "zod";
import { POLICY_KINDS, POLICY_PARAMS } from "../core/policy/rules";

const ruleName = z
  .string()
  .trim()
  .min(3, "at least 3 characters")
  .max(60, "at most 60 characters")
  .regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and dashes");

export const ZCreatePolicyInput = z.object({
  name: ruleName,
  kind: z.enum(POLICY_KINDS).exclude(["no_self_hosting", "production_isolation"]),
  params: z.record(z.string(), z.unknown()).default({}),
  description: z.string().trim().max(500).default(""),
  enabled: z.boolean().default(true),
});
export const ZUpdatePolicyInput = z.object({
  id: z.string().min(1).max(64),
  name: ruleName.optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  description: z.string().trim().max(500).optional(),
  enabled: z.boolean().optional(),
});

export const ZPolicyIdInput = z.object({ id: z.string().min(1).max(64), reason: z.string().trim().max(500).optional() });

/** The create form's schema in the browser: the kind's own params schema too, with issues on params.<field>. */
export const ZPolicyForm = ZCreatePolicyInput.superRefine((value, ctx) => {
  const parsed = POLICY_PARAMS[value.kind].safeParse(value.params);
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: "custom", message: issue.message, path: ["params", ...issue.path.map(String)] });
});
