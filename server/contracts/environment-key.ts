import { z } from "zod";

/** The key browser's inputs: keys are relative to the environment's prefix (`/env/<id>/`), as users see them. */
const ZId = z.string().min(1).max(64);
const ZKey = z
  .string()
  .min(1, "key: give a key")
  .max(512, "key: at most 512 characters")
  .refine((k) => !/[\u0000-\u001f]/.test(k), "key: no control characters");

export const ZKeyListInput = z.object({
  environmentId: ZId,
  /** Keys after this one (exclusive), in key order: the next page. */
  cursor: ZKey.nullish(),
  /** Only keys starting with this (relative) prefix. */
  prefix: z.string().max(512).default(""),
  limit: z.number().int().min(1).max(200).default(50),
});

export const ZKeyPutInput = z.object({
  environmentId: ZId,
  key: ZKey,
  value: z.string().max(65_536, "value: at most 64 KiB"),
});

export const ZKeyDeleteInput = z.object({ environmentId: ZId, key: ZKey });
