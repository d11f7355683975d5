import type { IncomingMessage, ServerResponse } from "node:http";
import { callTRPCProcedure, getTRPCErrorFromUnknown, getTRPCErrorShape, transformTRPCResponse, type AnyTRPCRouter } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { acceptsGzip, encodedOnce, isSharedOutput } from "../shared-output";

/**
 * A lean path for the commonest API call: one (not batched) query over GET,
 * `/api/trpc/<path>?input=<json>`, what API clients and the CLI send. The
 * procedure runs through tRPC itself (callTRPCProcedure: same middlewares,
 * validation, errors), and the answer is tRPC's own: same JSON envelope,
 * error shape (the router's errorFormatter) and HTTP status mapping. What it
 * skips is the adapter's per-request machinery (a WHATWG Request, abort
 * signals, streams, batch parsing): most of the CPU of a cached read. A
 * shared cached answer is encoded once, and a big one (the map) also served
 * gzipped when the client takes it.
 * Anything else (batches, streaming, mutations, unknown paths, malformed
 * input) answers null: the caller hands it to tRPC's standard adapter.
 */
export function createFastQuery<TContext>(router: AnyTRPCRouter, createContext: (req: IncomingMessage) => Promise<TContext>) {
  const config = router._def._config;
  const procedures = router._def.procedures as Record<string, { _def: { type: string } } | undefined>;
  return (req: IncomingMessage, res: ServerResponse, path: string, search: string): Promise<void> | null => {
    if (req.method !== "GET" || req.headers["trpc-accept"] || procedures[path]?._def.type !== "query") return null;
    const params = new URLSearchParams(search);
    if (params.has("batch")) return null;
    const raw = params.get("input");
    let input: unknown;
    try {
      input = raw === null ? undefined : config.transformer.input.deserialize(JSON.parse(raw));
    } catch {
      return null;
    }
    return (async () => {
      let ctx: TContext | undefined;
      let status = 200;
      let body: string | Buffer;
      let gzipped = false;
      try {
        ctx = await createContext(req);
        const data: unknown = await callTRPCProcedure({
          router,
          path,
          getRawInput: async () => input,
          ctx,
          type: "query",
          signal: undefined,
          batchIndex: 0,
        });
        if (isSharedOutput(data)) {
          // A shared cached answer is encoded once (and a big one gzipped once), however many read it.
          const enc = encodedOnce(data, "trpc", () => JSON.stringify(transformTRPCResponse(config, { result: { data } })));
          gzipped = !!enc.gzip && acceptsGzip(req.headers["accept-encoding"]);
          body = gzipped ? await enc.gzip! : enc.text;
        } else {
          body = JSON.stringify(transformTRPCResponse(config, { result: { data } }));
        }
      } catch (cause) {
        const error = getTRPCErrorFromUnknown(cause);
        status = getHTTPStatusCodeFromError(error);
        body = JSON.stringify(
          transformTRPCResponse(config, { error: getTRPCErrorShape({ config, ctx, error, input, path, type: "query" }) }),
        );
      }
      res
        .writeHead(status, {
          "content-type": "application/json",
          vary: "trpc-accept, accept, accept-encoding",
          "content-length": Buffer.byteLength(body),
          ...(gzipped ? { "content-encoding": "gzip" } : {}),
        })
        .end(body);
    })();
  };
}
