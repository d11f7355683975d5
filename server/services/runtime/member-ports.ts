import type { Tx } from "../../db/client";

/**
 * Gives every placed replica row without ports a client and a peer port from
 * its host's range (the agent reports the range at join). Ports are kept for
 * the member's life, so a restarted member keeps its address. Runs under the
 * reconcile lock, so two passes never hand out the same port.
 */
export async function allocateMemberPorts(tx: Tx): Promise<number> {
  const rows = await tx.replica.findMany({
    where: { hostId: { not: null }, OR: [{ port: null }, { peerPort: null }], state: { not: "stopping" } },
    select: { id: true, hostId: true, port: true, peerPort: true },
    orderBy: [{ hostId: "asc" }, { ordinal: "asc" }],
  });
  if (!rows.length) return 0;
  const hostIds = [...new Set(rows.map((r) => r.hostId!))];
  const [hosts, taken] = await Promise.all([
    tx.host.findMany({ where: { id: { in: hostIds } }, select: { id: true, portFrom: true, portTo: true } }),
    tx.replica.findMany({ where: { hostId: { in: hostIds } }, select: { hostId: true, port: true, peerPort: true } }),
  ]);
  const used = new Map(hostIds.map((id) => [id, new Set<number>()]));
  for (const t of taken) for (const p of [t.port, t.peerPort]) if (p) used.get(t.hostId!)!.add(p);
  const range = new Map(hosts.map((h) => [h.id, h]));
  let allocated = 0;
  for (const row of rows) {
    const host = range.get(row.hostId!)!;
    const ports = used.get(row.hostId!)!;
    const next = () => {
      for (let p = host.portFrom; p <= host.portTo; p++) {
        if (!ports.has(p)) {
          ports.add(p);
          return p;
        }
      }
      return null;
    };
    const port = row.port ?? next();
    const peerPort = row.peerPort ?? next();
    if (port === null || peerPort === null) continue; // the host's range is full: the row waits
    await tx.replica.update({ where: { id: row.id }, data: { port, peerPort } });
    allocated++;
  }
  return allocated;
}
