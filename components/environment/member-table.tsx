import { StatusBadge } from "@/components/ui/status-badge";
import { formatDateTime } from "@/components/ui/format-date";

interface MemberRow {
  id: string;
  ordinal: number;
  state: string;
  hostName: string | null;
  failureDomain: string | null;
  endpoint: string | null;
  failureReason: string | null;
  startedAt: Date | null;
  member: {
    id: string;
    leader: boolean;
    learner: boolean;
    raftTerm: number | null;
    raftIndex: number | null;
    dbSizeBytes: number | null;
    alarms: string[];
  } | null;
}

const role = (m: MemberRow["member"]) => (!m ? "not a member yet" : m.leader ? "leader" : m.learner ? "learner" : "follower");
const mib = (bytes: number | null) => (bytes === null ? "—" : `${(bytes / 1_048_576).toFixed(1)} MiB`);

/** Each replica is one etcd member: its host, its role in Raft and the health its agent reads from it. */
export function MemberTable({ replicas }: { replicas: MemberRow[] }) {
  if (!replicas.length) return <p className="text-sm text-muted-foreground">No members yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Members</caption>
        <thead className="text-muted-foreground">
          <tr>
            <th className="py-1 font-medium">#</th>
            <th className="py-1 font-medium">Host</th>
            <th className="py-1 font-medium">Failure domain</th>
            <th className="py-1 font-medium">Health</th>
            <th className="py-1 font-medium">Role</th>
            <th className="py-1 font-medium">Member id</th>
            <th className="py-1 font-medium">Raft term / index</th>
            <th className="py-1 font-medium">DB size</th>
            <th className="py-1 font-medium">Endpoint</th>
            <th className="py-1 font-medium">Since</th>
          </tr>
        </thead>
        <tbody>
          {replicas.map((r) => (
            <tr key={r.id} className="border-t" data-testid="replica-row">
              <td className="py-1.5">{r.ordinal}</td>
              <td className="py-1.5 font-mono text-xs">{r.hostName ?? "unplaced"}</td>
              <td className="py-1.5">{r.failureDomain ?? "—"}</td>
              <td className="py-1.5">
                <StatusBadge status={r.state} />
                {r.failureReason ? <span className="ml-2 text-xs text-muted-foreground">{r.failureReason}</span> : null}
                {r.member?.alarms.length ? (
                  <span className="ml-2 text-xs text-destructive">alarm: {r.member.alarms.join(", ")}</span>
                ) : null}
              </td>
              <td className="py-1.5" data-testid="member-role">
                {role(r.member)}
              </td>
              <td className="py-1.5 font-mono text-xs">{r.member?.id ?? "—"}</td>
              <td className="py-1.5 font-mono text-xs">
                {r.member?.raftTerm != null ? `${r.member.raftTerm} / ${r.member.raftIndex}` : "—"}
              </td>
              <td className="py-1.5">{mib(r.member?.dbSizeBytes ?? null)}</td>
              <td className="py-1.5 font-mono text-xs">{r.endpoint ?? "—"}</td>
              <td className="py-1.5">{r.startedAt ? formatDateTime(r.startedAt) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
