import { z } from "zod";
import { hashPassword } from "../auth/password";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { recordAudit } from "./audit";

export const NewAdminInput = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  name: z.string().trim().min(1).max(100),
  password: z.string().min(12, "must be at least 12 characters").max(200),
});

/** Creates a platform administrator (production mode's first admin), audited. */
export async function createAdmin(db: Db, input: z.input<typeof NewAdminInput>) {
  const parsed = NewAdminInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError("VALIDATION", `${issue.path.join(".")}: ${issue.message}`, { field: issue.path.join(".") });
  }
  const { email, name, password } = parsed.data;
  const passwordHash = await hashPassword(password);
  return db.$transaction(async (tx) => {
    if (await tx.user.findUnique({ where: { email }, select: { id: true } })) {
      throw new AppError("CONFLICT", `email: a user with ${email} already exists`, { field: "email" });
    }
    const user = await tx.user.create({ data: { email, name, passwordHash, platformRole: "admin" }, select: { id: true } });
    await recordAudit(tx, {
      actorType: "system",
      actorLabel: "create-admin",
      action: "user.create_admin",
      targetType: "user",
      targetId: user.id,
      after: { email, name, platformRole: "admin" },
    });
    return user;
  });
}
