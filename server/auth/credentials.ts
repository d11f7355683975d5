import { z } from "zod";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { logger } from "../observability/logger";
import { signInAttempts } from "../observability/metrics";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "./password";
import { signInLimiter } from "./sign-in-limiter";

const Credentials = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(200),
});

/**
 * Checks an email and password. Returns the user, or null for any wrong,
 * malformed or disabled combination (one answer, so nothing is revealed);
 * throws RATE_LIMITED after 10 failures a minute for the email or the address.
 */
export async function authenticate(db: Db, raw: unknown, clientAddress: string, now: number) {
  const parsed = Credentials.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  const emailKey = `email:${email}`;
  const attempt = await signInLimiter.begin(db, [emailKey, `ip:${clientAddress}`], now);
  if (!attempt) {
    signInAttempts.inc({ outcome: "rate_limited" });
    logger.warn({ event: "sign_in_rate_limited" }, "sign-in refused: too many failed attempts");
    throw new AppError("RATE_LIMITED", "Too many failed sign-in attempts; try again in a minute");
  }
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, passwordHash: true, disabledAt: true },
  });
  const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user || !ok || user.disabledAt) {
    // The reserved attempt stays: it counts as a failure for the window.
    signInAttempts.inc({ outcome: "failure" });
    return null;
  }
  await signInLimiter.succeeded(db, attempt, emailKey);
  signInAttempts.inc({ outcome: "success" });
  return { id: user.id, email: user.email, name: user.name };
}
