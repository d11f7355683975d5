import type { Prisma } from "./generated/client";

/** A table the change feed can name: Prisma's model names, so a typo does not compile. */
export type Model = Prisma.ModelName;

type ScalarColumn<M extends Model> = keyof Prisma.TypeMap["model"][M]["payload"]["scalars"] & string;

/**
 * The columns whose values a model's row trigger sends, in the trigger's
 * argument order (migration change_feed_keys: `statehouse_notify_row_change('id',
 * 'stateServerId')`). The feed turns them into keys named for the column
 * (`Environment.stateServerId:<id>`); server/db/read-model.int.test.ts checks
 * this table against pg_trigger.
 */
export const ROW_KEY_COLUMNS = {
  Environment: ["id", "stateServerId"],
  StateServer: ["id"],
  Replica: ["stateServerId"],
  RuntimeJob: ["targetId"],
  PlacementEvent: ["stateServerId"],
  AuditEvent: ["targetId"],
  BrowserSession: ["id"],
} as const satisfies { [M in Model]?: readonly ScalarColumn<M>[] };

export type KeyedModel = keyof typeof ROW_KEY_COLUMNS;
export type KeyColumn<M extends KeyedModel> = (typeof ROW_KEY_COLUMNS)[M][number];

/** What a cached read depends on: a whole model (any change to it), or the rows whose `column` holds a value. */
export type DependencyKey = Model | { [M in KeyedModel]: `${M}.${KeyColumn<M>}:${string}` }[KeyedModel];

/** The key of the rows of `model` whose `column` is `value` (e.g. the replicas of one state server). */
export const rowKey = <M extends KeyedModel>(model: M, column: KeyColumn<M>, value: string): DependencyKey =>
  `${model}.${column}:${value}` as DependencyKey;

/** The key every row key of `model` also watches: a change the feed could not narrow to rows (a TRUNCATE, a statement trigger). */
export const anyRowKey = (model: string): string => `${model}.*`;

/** The model a dependency key belongs to. */
export const modelOfKey = (key: string): string => {
  const dot = key.indexOf(".");
  return dot < 0 ? key : key.slice(0, dot);
};

/**
 * The keys one notification changes. A payload is `Model` (the whole table) or
 * `Model|v|v…`: for each trigger column, the old row's value (not on INSERT)
 * then the new row's (not on DELETE), so an UPDATE sends two values per column
 * and an INSERT or DELETE one. A payload of any other shape is taken as the
 * whole table (never too narrow).
 */
export function changedKeys(payload: string): { model: string; keys: string[] } {
  const [model, ...values] = payload.split("|") as [string, ...string[]];
  const columns: readonly string[] | undefined = (ROW_KEY_COLUMNS as Record<string, readonly string[]>)[model];
  const wide = { model, keys: [model, anyRowKey(model)] };
  if (!values.length || !columns?.length) return wide;
  const perColumn = values.length / columns.length;
  if (perColumn !== 1 && perColumn !== 2) return wide;
  const keys = [model];
  values.forEach((value, i) => {
    if (value) keys.push(`${model}.${columns[Math.floor(i / perColumn)]}:${value}`);
  });
  return { model, keys };
}
