/**
 * What the class-level filter checks see of a set of hosts that look alike to
 * them (a host group or a host class): host classes fill in every field; host
 * groups know zone, domain and dedication only (no dedicated replica,
 * environment -1, no stage mark).
 */
export interface HostClassView {
  readonly zone: number;
  readonly domain: number;
  /** The tenant the hosts are statically dedicated to (host.dedicatedTenant), or -1. */
  readonly dedicatedTenant: number;
  /** The tenant whose dedicated replicas run on the hosts (so they take no other tenant), or -1. */
  readonly dedicatedReplicaTenant: number;
  /** The environment whose machines the hosts are, or -1. */
  readonly environment: number;
  readonly stageMark: number;
}

/** Hosts of one (zone, failure domain, dedicated tenant). */
export interface HostGroup extends HostClassView {
  /** Ready hosts in the group (spread counts a domain only where one is ready). */
  ready: number;
}

/**
 * Hosts grouped by (zone, failure domain, dedicated tenant), listed per zone,
 * so a server's precomputation walks only the groups of its allowed zones.
 */
export class HostGroups {
  readonly list: HostGroup[] = [];
  readonly ofHost: Int32Array;
  /** Groups in zone z: inZone[zoneStart[z] .. zoneStart[z + 1]). */
  readonly zoneStart: Int32Array;
  readonly inZone: Int32Array;

  constructor(hostZone: Int32Array, hostDomain: Int32Array, hostDedicated: Int32Array, nZones: number, nDomains: number, nTenants: number) {
    const n = hostZone.length;
    const byKey = new Map<number, number>();
    this.ofHost = new Int32Array(n);
    for (let h = 0; h < n; h++) {
      const zone = hostZone[h]!;
      const domain = hostDomain[h]!;
      const dedicatedTenant = hostDedicated[h]!;
      const key = (zone * nDomains + domain) * (nTenants + 1) + dedicatedTenant + 1;
      let g = byKey.get(key);
      if (g === undefined) {
        g = this.list.length;
        byKey.set(key, g);
        this.list.push({ zone, domain, dedicatedTenant, dedicatedReplicaTenant: -1, environment: -1, stageMark: 0, ready: 0 });
      }
      this.ofHost[h] = g;
    }
    this.zoneStart = new Int32Array(nZones + 1);
    for (const g of this.list) this.zoneStart[g.zone + 1]!++;
    for (let z = 0; z < nZones; z++) this.zoneStart[z + 1] = this.zoneStart[z + 1]! + this.zoneStart[z]!;
    this.inZone = new Int32Array(this.list.length);
    const fill = this.zoneStart.slice(0, nZones);
    this.list.forEach((g, i) => (this.inZone[fill[g.zone]!++] = i));
  }
}
