import fc from "fast-check";

/**
 * Bad input for the fuzz suites: wrong types, huge and strange strings, numbers
 * at and past every boundary, missing and extra fields, and ids that belong to
 * someone else. `mutatedInput(valid, ids)` starts from a valid input (so a
 * mutation reaches past the first check) and breaks one thing in it.
 */
const HUGE = "x".repeat(100_000);

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "nul\u0000inside",
    "\uD800",
    "lone \uDC00 surrogate",
    "\u202Eevil",
    "\u200B",
    "e\u0301\u0301\u0301",
    "😀".repeat(300),
    "例え.テスト",
    HUGE,
    "a".repeat(65),
    "a".repeat(256),
    '\'; DROP TABLE "User"; --',
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "%00%ff",
    "null",
    "-1",
    "1e309",
    "__proto__",
    "constructor",
  ),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);

export const nastyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    -1,
    0,
    -0,
    0.5,
    1.5,
    NaN,
    Infinity,
    -Infinity,
    2 ** 31,
    2 ** 31 - 1,
    -(2 ** 31) - 1,
    2 ** 53,
    -(2 ** 53),
    1e308,
    Number.MAX_SAFE_INTEGER,
    Number.MIN_VALUE,
  ),
  fc.integer(),
  fc.double(),
);

const leaf: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  nastyNumber,
  fc.boolean(),
  fc.constantFrom(null, undefined, [], {}, new Date(Number.NaN), new Date(8.64e15), 10n ** 30n),
);

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 5 }) },
  { weight: 1, arbitrary: fc.constant(Array.from({ length: 2000 }, (_, i) => i)) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), leaf, { maxKeys: 4 }) },
);

type Path = (string | number)[];

/** Every path to a value inside a plain input (objects and arrays), the root included. */
function paths(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  }
  return out;
}

function clone<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T);
}

function setAt(
  root: unknown,
  path: Path,
  make: (old: unknown, parent: Record<string | number, unknown>, key: string | number) => void,
): unknown {
  if (!path.length) {
    const box: Record<string, unknown> = { v: root };
    make(root, box, "v");
    return box.v;
  }
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  make(node[last], node, last);
  return copy;
}

export interface Mutation {
  kind: "replace" | "drop" | "extra" | "foreignId" | "whole";
  path: Path;
  input: unknown;
}

/** One broken thing in a valid input; `ids` are ids of rows the caller should not reach (another tenant's, say). */
export function mutatedInput(valid: unknown, ids: string[]): fc.Arbitrary<Mutation> {
  const all = paths(valid);
  const inner = all.filter((p) => p.length > 0);
  const containers = all.filter((p) => {
    let node: unknown = valid;
    for (const k of p) node = (node as Record<string | number, unknown>)[k];
    return !!node && typeof node === "object" && !Array.isArray(node) && !(node instanceof Date);
  });
  const options: fc.Arbitrary<Mutation>[] = [nastyValue.map((v) => ({ kind: "whole" as const, path: [], input: v }))];
  if (inner.length) {
    const path = fc.constantFrom(...inner);
    options.push(
      fc
        .tuple(path, nastyValue)
        .map(([p, v]) => ({ kind: "replace" as const, path: p, input: setAt(valid, p, (_o, parent, key) => (parent[key] = v)) })),
      path.map((p) => ({
        kind: "drop" as const,
        path: p,
        input: setAt(valid, p, (_o, parent, key) => (Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key])),
      })),
    );
    if (ids.length) {
      options.push(
        fc
          .tuple(path, fc.constantFrom(...ids))
          .map(([p, id]) => ({ kind: "foreignId" as const, path: p, input: setAt(valid, p, (_o, parent, key) => (parent[key] = id)) })),
      );
    }
  }
  if (containers.length) {
    options.push(
      fc.tuple(fc.constantFrom(...containers), fc.string({ minLength: 1, maxLength: 12 }), nastyValue).map(([p, k, v]) => ({
        kind: "extra" as const,
        path: [...p, k],
        input: setAt(valid, p, (old, parent, key) => (parent[key] = { ...(old as object), [k]: v })),
      })),
    );
  }
  return fc.oneof(...options);
}

/** A short, printable description of an input for failure messages (huge strings are elided). */
export function describeInput(input: unknown): string {
  try {
    const text = JSON.stringify(input, (_k, v: unknown) =>
      typeof v === "bigint" ? `${v}n` : typeof v === "string" && v.length > 60 ? `${v.slice(0, 20)}…(${v.length} chars)` : v,
    );
    return text === undefined ? "undefined" : text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(input);
  }
}

/** Runs per property: `base` (the CI budget) unless FUZZ_RUNS asks for a longer run. */
export function fuzzRuns(base: number): number {
  const runs = Number(process.env.FUZZ_RUNS ?? "");
  return Number.isInteger(runs) && runs > 0 ? runs : base;
}
