import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { DesiredMember, MemberHealth } from "../contracts/agent";
import { clientUrl, type Endpoint } from "./member-process";
import type { LoadedTls } from "./member-tls";

interface StatusReply {
  header?: { member_id?: string };
  leader?: string;
  raftTerm?: string;
  raftIndex?: string;
  isLearner?: boolean;
  dbSize?: string;
  errors?: string[];
}

const hex = (decimal: string | undefined) => (decimal && decimal !== "0" ? BigInt(decimal).toString(16) : undefined);

/** POSTs `{}` and parses the JSON answer; null on any failure or after `timeoutMs`. A TLS member is asked with its own certificate. */
function postEmpty(target: string, tls: LoadedTls | undefined, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve) => {
    const options = { method: "POST", headers: { "content-type": "application/json" }, signal: AbortSignal.timeout(timeoutMs) };
    const onAnswer = (res: IncomingMessage) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("error", () => resolve(null));
      res.on("end", () => {
        try {
          resolve(res.statusCode === 200 ? JSON.parse(body) : null);
        } catch {
          resolve(null);
        }
      });
    };
    const req = tls
      ? httpsRequest(target, { ...options, ca: tls.ca, cert: tls.cert, key: tls.key }, onAnswer)
      : httpRequest(target, options, onAnswer);
    req.on("error", () => resolve(null));
    req.end("{}");
  });
}

/**
 * etcd's Maintenance.Status through the member's JSON gateway (same RPC, no
 * credentials needed with auth on). A plain HTTP(S) call with a hard deadline:
 * no gRPC channel or circuit breaker to set up per member per heartbeat. Null
 * when it does not answer in time.
 */
export async function memberStatus(
  m: Endpoint & Pick<DesiredMember, "clientPort">,
  tls: LoadedTls | undefined,
  timeoutMs = 500,
): Promise<MemberHealth | null> {
  const s = (await postEmpty(`${clientUrl(m)}/v3/maintenance/status`, tls, timeoutMs)) as StatusReply | null;
  const memberId = hex(s?.header?.member_id);
  if (!s || !memberId) return null;
  const leaderId = hex(s.leader);
  return {
    memberId,
    ...(leaderId ? { leaderId } : {}),
    raftTerm: Number(s.raftTerm ?? 0),
    raftIndex: Number(s.raftIndex ?? 0),
    isLearner: s.isLearner === true,
    dbSizeBytes: Number(s.dbSize ?? 0),
    alarms: (s.errors ?? []).slice(0, 16).map((e) => e.slice(0, 200)),
  };
}
