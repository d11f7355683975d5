/**
 * Placement CLI (docs/design.md, contract 2): `npm run --silent place < problem.json > result.json`.
 * A thin wrapper over server/core: read stdin, validate, place, print JSON.
 * Exit codes: 0 ok, 2 bad JSON or invalid problem, 1 unexpected failure.
 */
import { performance } from "node:perf_hooks";
import v8 from "node:v8";
import { parsePlacementProblem, placeReplicas } from "../server/core/placement";

// One placement per process, so the engine runs mostly before V8 has optimized it: without inlining, each hot
// function is optimized alone and sooner (less compiler work competing with the placement on a busy machine).
v8.setFlagsFromString("--no-turbo-inlining");
// Nor does V8 optimize a loop while it runs (on-stack replacement): the engine's long loops over servers, listings
// and hosts each run once here, mostly done before their optimized code (1-3 ms of compiling each) would arrive.
// Functions still get optimized when called often enough, after twice V8's default budget (Node 20: 67584 bytes
// of bytecode run) instead of once: fewer compiled for a single use, which on two busy cores compete with the placement.
v8.setFlagsFromString("--no-use-osr");
v8.setFlagsFromString("--interrupt-budget=135168");

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function fail(code: number, lines: string[]): never {
  process.stderr.write(lines.map((l) => `place: ${l}\n`).join(""));
  process.exit(code);
}

async function main(): Promise<void> {
  const text = await readStdin();
  if (!text.trim()) fail(2, ["no input: pipe a placement problem (JSON) on stdin"]);
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    fail(2, [`invalid JSON: ${(e as Error).message}`]);
  }
  const parsed = parsePlacementProblem(input);
  if (!parsed.ok) fail(2, ["invalid problem:", ...parsed.errors.map((e) => `  ${e}`)]);
  const result = placeReplicas(parsed.problem, { clock: () => performance.now() });
  const out = {
    placements: result.placements,
    moved: result.moved,
    unplaced: result.unplaced.map(({ stateServer, ordinal, reasons, message }) => ({ stateServer, ordinal, reasons, message })),
    stats: { millis: result.stats.millis },
  };
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

main().catch((e: unknown) => fail(1, [`unexpected error: ${e instanceof Error ? e.message : String(e)}`]));
