import { z } from "zod";
import { readsEverything } from "../auth/caller";
import { forbidden } from "../errors";
import { type ServiceCtx, TX_OPTIONS, userActor } from "./actor";
import { recordAudit } from "./audit";

export const ZAnnotationTarget = z.object({
  targetType: z.enum(["environment", "host", "state_server", "replica", "tenant", "zone", "policy"]),
  targetId: z.string().min(1).max(64),
});
export const ZCreateAnnotationInput = ZAnnotationTarget.extend({ body: z.string().trim().min(1, "write something").max(2000) });

const select = { id: true, targetType: true, targetId: true, body: true, authorLabel: true, createdAt: true } as const;

/** The one change support staff may make: a note on something, audited like any other change. */
export async function createAnnotation(ctx: ServiceCtx, input: z.infer<typeof ZCreateAnnotationInput>) {
  if (!readsEverything(ctx.caller)) throw forbidden("Only support staff and administrators can annotate");
  return ctx.db.$transaction(async (tx) => {
    const row = await tx.annotation.create({
      data: { ...input, authorId: ctx.caller.userId, authorLabel: ctx.caller.email },
      select,
    });
    await recordAudit(tx, {
      ...userActor(ctx),
      action: "annotation.create",
      targetType: input.targetType,
      targetId: input.targetId,
      after: { annotationId: row.id, body: input.body },
    });
    return row;
  }, TX_OPTIONS);
}

export async function listAnnotations(ctx: ServiceCtx, input: z.infer<typeof ZAnnotationTarget>) {
  if (!readsEverything(ctx.caller)) throw forbidden("Only support staff and administrators can read annotations");
  return ctx.db.annotation.findMany({ where: input, select, orderBy: { createdAt: "desc" }, take: 100 });
}
