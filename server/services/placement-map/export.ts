import { applySelection, decodeMap, type MapSelection } from "./selection";
import { MAP_HOST_STATES, MAP_REPLICA_STATES, MAP_STAGES, type PlacementMap } from "./types";

export const EXPORT_COLUMNS = [
  "zone",
  "failure_domain",
  "host",
  "host_state",
  "state_server",
  "ordinal",
  "replica_state",
  "stage",
  "tenants",
  "environments",
] as const;
export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], string | number>;

/** One row per replica in the selection (unplaced replicas have an empty host), in map order. */
export function exportRows(map: PlacementMap, sel: MapSelection): ExportRow[] {
  const d = decodeMap(map);
  const picked = applySelection(d, sel);
  const rows: ExportRow[] = [];
  const push = (i: number) => {
    if (!picked.replicas[i]) return;
    const h = map.replicas.host[i]!;
    const s = d.replicaServer[i]!;
    const dom = h >= 0 ? map.hosts.domain[h]! : -1;
    rows.push({
      zone: dom >= 0 ? map.zones.name[map.domains.zone[dom]!]! : (map.zones.name[map.servers.zone[s]!] ?? ""),
      failure_domain: dom >= 0 ? map.domains.name[dom]! : "",
      host: h >= 0 ? map.hosts.name[h]! : "",
      host_state: h >= 0 ? MAP_HOST_STATES[map.hosts.state[h]!]! : "",
      state_server: map.servers.name[s]!,
      ordinal: map.replicas.ordinal[i]!,
      replica_state: MAP_REPLICA_STATES[map.replicas.state[i]!]!,
      stage: map.servers.stage[s]! >= 0 ? MAP_STAGES[map.servers.stage[s]!]! : "",
      tenants: d.serverTenants[s]!.map((t) => map.tenants.slug[t]).join(" "),
      environments: d.serverEnvs[s]!.map((e) => `${map.tenants.slug[map.environments.tenant[e]!]}/${map.environments.name[e]}`).join(" "),
    });
  };
  for (let h = 0; h < map.hosts.id.length; h++) for (let k = d.hostStart[h]!; k < d.hostStart[h + 1]!; k++) push(d.hostReplicas[k]!);
  for (let i = 0; i < map.replicas.host.length; i++) if (map.replicas.host[i]! < 0) push(i);
  return rows;
}

const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote when needed, and defuse spreadsheet formulas.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function toCsv(rows: readonly ExportRow[]): string {
  const lines = [EXPORT_COLUMNS.join(",")];
  for (const r of rows) lines.push(EXPORT_COLUMNS.map((c) => csvCell(r[c])).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
