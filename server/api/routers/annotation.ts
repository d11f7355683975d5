import { createAnnotation, listAnnotations, ZAnnotationTarget, ZCreateAnnotationInput } from "../../services/annotations";
import { router, supportProcedure } from "../trpc";

export const annotationRouter = router({
  list: supportProcedure.input(ZAnnotationTarget).query(({ ctx, input }) => listAnnotations(ctx, input)),
  create: supportProcedure.input(ZCreateAnnotationInput).mutation(({ ctx, input }) => createAnnotation(ctx, input)),
});
