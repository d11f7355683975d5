export type * from "./types";
export { planReconcile, isEmptyPlan } from "./plan";
export * from "./membership";
