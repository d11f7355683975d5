import { createHmac, timingSafeEqual } from "node:crypto";
import { authSecret } from "../env";
import { AppError } from "../errors";

/**
 * Opaque list cursors, sealed to one list and one caller scope. A cursor is the
 * last row's key plus a MAC over (list, scope, key) under the app's secret, so a
 * client cannot hand in a row id of its own choosing: another tenant's id, an
 * id that never existed and a cursor made for someone else's list all get the
 * same 400 (no existence oracle), and a key out of the column's range never
 * reaches the database.
 */
const MAC_CHARS = 22;

function mac(list: string, scope: string, key: string): string {
  return createHmac("sha256", authSecret()).update(`cursor\0${list}\0${scope}\0${key}`).digest("base64url").slice(0, MAC_CHARS);
}

export function sealCursor(list: string, scope: string, key: string): string {
  return `${Buffer.from(key, "utf8").toString("base64url")}.${mac(list, scope, key)}`;
}

export const badCursor = () => new AppError("VALIDATION", "cursor: not a cursor returned by this list", { field: "cursor" });

/** The key inside a cursor this list sealed for this scope; anything else is VALIDATION on `cursor`. */
export function openCursor(list: string, scope: string, cursor: string): string {
  const dot = cursor.indexOf(".");
  if (dot <= 0 || cursor.length > 300) throw badCursor();
  const key = Buffer.from(cursor.slice(0, dot), "base64url").toString("utf8");
  const expected = Buffer.from(mac(list, scope, key));
  const given = Buffer.from(cursor.slice(dot + 1));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw badCursor();
  return key;
}
