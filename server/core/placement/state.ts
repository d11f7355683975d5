import { type Amounts, narrowAmounts } from "./amounts";
import { HostGroups } from "./host-groups";
import { compileHosts, HOST_STATE_CODE, HS_CORDONED, HS_DOWN, HS_DRAINING, HS_READY } from "./host-table";
import { HostTenantCounts } from "./host-tenant-counts";
import { HostingGraph } from "./hosting-graph";
import { Interner } from "./interner";
import { compileRules } from "./rules";
import { compileServers, STAGE_NONE, STAGE_PRODUCTION, STAGE_STAGING } from "./server-table";
import type { PlacementProblem } from "./types";

export { HS_CORDONED, HS_DOWN, HS_DRAINING, HS_READY };
export { STAGE_NONE, STAGE_PRODUCTION, STAGE_STAGING };

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The problem compiled to flat typed arrays (struct of arrays): hosts are
 * indexed in id order so "lower index" is the deterministic tie-break.
 * Mutations (assign/unassign) keep every per-host counter exact.
 */
export class ClusterState {
  readonly nHosts: number;
  readonly hostIds: string[];
  readonly hostIndex: Map<string, number>;
  readonly hostState: Uint8Array;
  readonly hostZone: Int32Array;
  readonly hostDomain: Int32Array;
  readonly hostDedicated: Int32Array;
  readonly hostEnv: Int32Array;
  readonly capCpu: Amounts;
  readonly capMem: Amounts;
  readonly capSlots: Float64Array;
  readonly freeCpu: Amounts;
  readonly freeMem: Amounts;
  readonly freeSlots: Float64Array;
  /** utilisation(h), computed on first use after h's free capacity changed (scorers and host heaps read it per candidate). */
  private readonly load: Float64Array;
  private readonly loadStale: Uint8Array;
  readonly hostReplicas: Int32Array;
  /** Distinct tenants on the host, and the sum of their indices (= the tenant when distinct is 1). */
  readonly tenantDistinct: Int32Array;
  readonly tenantSum: Int32Array;
  readonly dedicatedCount: Int32Array;
  readonly productionCount: Int32Array;
  readonly stagingCount: Int32Array;
  /** Replicas per (host, tenant); only touched on assign/unassign. */
  readonly hostTenants: HostTenantCounts;

  readonly zones = new Interner();
  readonly domains = new Interner();
  readonly tenants = new Interner();
  readonly envs = new Interner();

  readonly nServers: number;
  private serverIndexMap: Map<string, number> | undefined;
  readonly serverTenant: Int32Array;
  readonly serverReplicas: Int32Array;
  readonly serverCpu: Amounts;
  readonly serverMem: Amounts;
  readonly serverDedicated: Uint8Array;
  readonly serverSpreadRequired: Uint8Array;
  readonly serverStage: Uint8Array;
  /** Allowed zones of server s: zoneList[zoneStart[s] .. zoneStart[s + 1]) (flat, no per-server arrays). */
  readonly zoneStart: Int32Array;
  readonly zoneList: Int32Array;
  /** Environments served by s: envList[envStart[s] .. envStart[s + 1]); empty when no host is an environment's machine. */
  readonly envStart: Int32Array;
  readonly envList: Int32Array;
  readonly replicaOffset: Int32Array;
  readonly replicaServer: Int32Array;
  readonly replicaHost: Int32Array;

  /** zone -> tenants allowed (zoneReserved rule), or null when open to all. */
  readonly zoneReserved: (Set<number> | null)[];
  /** tenant -> tenants it never shares a host with. */
  readonly neverShare: Int32Array[];
  readonly groupProfile: Int32Array;
  readonly stageSeparation: boolean;
  readonly graph: HostingGraph;
  readonly anyHostedHost: boolean;
  readonly binpack: boolean;
  readonly minCpu: number;
  readonly minMem: number;
  readonly groups: HostGroups;
  /** Bumped whenever a host becomes ready or stops being ready (what spread's eligible domains depend on). */
  readyVersion = 0;

  constructor(readonly problem: PlacementProblem) {
    this.binpack = problem.strategy === "binpack";
    // Hosts usually come in id order: checked in one plain pass before sorting a copy.
    let sorted = true;
    for (let i = 1; i < problem.hosts.length && sorted; i++) sorted = problem.hosts[i - 1]!.id < problem.hosts[i]!.id;
    const hosts = sorted ? problem.hosts : [...problem.hosts].sort((a, b) => byString(a.id, b.id));
    const n = (this.nHosts = hosts.length);
    const table = compileHosts(hosts, this.zones, this.domains, this.tenants, this.envs);
    this.hostIds = table.ids;
    this.hostIndex = table.index;
    this.hostState = table.state;
    this.hostZone = table.zone;
    this.hostDomain = table.domain;
    this.hostDedicated = table.dedicated;
    this.hostEnv = table.env;
    this.capSlots = table.slots;
    this.hostReplicas = new Int32Array(n);
    this.tenantDistinct = new Int32Array(n);
    this.tenantSum = new Int32Array(n);
    this.dedicatedCount = new Int32Array(n);
    this.productionCount = new Int32Array(n);
    this.stagingCount = new Int32Array(n);
    const anyHosted = table.anyHosted;
    const t = compileServers(problem.stateServers, this.tenants, this.zones, anyHosted ? this.envs : null);
    // Int32Array when every amount allows (narrowAmounts' rule), checked while reading hosts and servers.
    const int32 = table.wholeAmounts && t.wholeAmounts;
    this.capCpu = narrowAmounts(table.cpu, int32);
    this.capMem = narrowAmounts(table.mem, int32);
    this.anyHostedHost = anyHosted;
    this.freeCpu = this.capCpu.slice();
    this.freeMem = this.capMem.slice();
    this.freeSlots = this.capSlots.slice();
    this.load = new Float64Array(n);
    this.loadStale = new Uint8Array(n).fill(1);

    const m = (this.nServers = problem.stateServers.length);
    this.serverTenant = t.tenant;
    this.serverReplicas = t.replicas;
    this.serverCpu = narrowAmounts(t.cpu, int32);
    this.serverMem = narrowAmounts(t.mem, int32);
    this.serverDedicated = t.dedicated;
    this.serverSpreadRequired = t.spreadRequired;
    this.serverStage = t.stage;
    const replicaOffset = (this.replicaOffset = t.replicaOffset);
    this.zoneStart = t.zoneStart;
    this.zoneList = t.zoneList;
    this.envStart = t.envStart;
    this.envList = t.envList;
    this.minCpu = t.minCpu;
    this.minMem = t.minMem;
    const total = replicaOffset[m]!;
    const replicaServer = (this.replicaServer = new Int32Array(total));
    for (let s = 0; s < m; s++) replicaServer.fill(s, replicaOffset[s]!, replicaOffset[s + 1]!);
    this.replicaHost = new Int32Array(total).fill(-1);
    this.hostTenants = new HostTenantCounts(total);

    const rules = compileRules(problem, this.zones, this.tenants, this.hostDedicated);
    this.zoneReserved = rules.zoneReserved;
    this.neverShare = rules.neverShare;
    this.groupProfile = rules.groupProfile;
    this.stageSeparation = rules.stageSeparation;
    for (const e of problem.hostedBy ?? []) {
      this.envs.get(e.environment);
      this.envs.get(e.hostEnvironment);
    }
    this.graph = new HostingGraph(this.envs.ids.length);
    for (const e of problem.hostedBy ?? []) this.graph.addEdge(this.envs.get(e.environment), this.envs.get(e.hostEnvironment));
    // Host groups come after the rules: a zone named only by the servers still gets its (empty) group list.
    this.groups = new HostGroups(
      this.hostZone,
      this.hostDomain,
      this.hostDedicated,
      this.zones.ids.length,
      this.domains.ids.length,
      this.nTenants,
    );
    for (let h = 0; h < n; h++) if (this.hostState[h] === HS_READY) this.groups.list[this.groups.ofHost[h]!]!.ready++;
  }

  /** Server id -> index, built on first use (the engine itself finds servers by position). */
  get serverIndex(): Map<string, number> {
    if (!this.serverIndexMap) {
      this.serverIndexMap = new Map();
      this.problem.stateServers.forEach((s, i) => this.serverIndexMap!.set(s.id, i));
    }
    return this.serverIndexMap;
  }

  get nTenants(): number {
    return this.tenants.ids.length;
  }

  /** Load in [0, 1]: mean of cpu, memory and slot utilisation (a zero capacity counts as full). */
  utilisation(h: number): number {
    if (this.loadStale[h] === 1) this.computeLoad(h);
    return this.load[h]!;
  }

  private computeLoad(h: number): void {
    this.loadStale[h] = 0;
    const cc = this.capCpu[h]!;
    const cm = this.capMem[h]!;
    const cs = this.capSlots[h]!;
    const u1 = cc > 0 ? 1 - this.freeCpu[h]! / cc : 1;
    const u2 = cm > 0 ? 1 - this.freeMem[h]! / cm : 1;
    const u3 = cs === Infinity ? 0 : cs > 0 ? 1 - this.freeSlots[h]! / cs : 1;
    this.load[h] = (u1 + u2 + u3) / 3;
  }

  /** Hosts that never take another replica of any server in this problem. */
  isClosed(h: number): boolean {
    return this.freeSlots[h]! < 1 || this.freeCpu[h]! < this.minCpu || this.freeMem[h]! < this.minMem;
  }

  /** The tenant whose dedicated replicas run on h (then the only tenant there, unless a listed placement broke that), or -1. */
  dedicatedReplicaTenant(h: number): number {
    return this.dedicatedCount[h]! > 0 ? this.tenantSum[h]! : -1;
  }

  stageMark(h: number): number {
    if (!this.stageSeparation) return STAGE_NONE;
    return this.productionCount[h]! > 0 ? STAGE_PRODUCTION : this.stagingCount[h]! > 0 ? STAGE_STAGING : STAGE_NONE;
  }

  assign(rep: number, h: number): void {
    const s = this.replicaServer[rep]!;
    this.replicaHost[rep] = h;
    this.freeCpu[h] = this.freeCpu[h]! - this.serverCpu[s]!;
    this.freeMem[h] = this.freeMem[h]! - this.serverMem[s]!;
    this.freeSlots[h] = this.freeSlots[h]! - 1;
    this.loadStale[h] = 1;
    this.hostReplicas[h]!++;
    const t = this.serverTenant[s]!;
    if (this.hostTenants.add(h, t) === 0) {
      this.tenantDistinct[h]!++;
      this.tenantSum[h] = this.tenantSum[h]! + t;
    }
    if (this.serverDedicated[s]) this.dedicatedCount[h]!++;
    const stage = this.serverStage[s]!;
    if (stage === STAGE_PRODUCTION) this.productionCount[h]!++;
    else if (stage === STAGE_STAGING) this.stagingCount[h]!++;
    const e = this.hostEnv[h]!;
    if (e >= 0) for (let i = this.envStart[s]!; i < this.envStart[s + 1]!; i++) this.graph.addEdge(this.envList[i]!, e);
  }

  unassign(rep: number): void {
    const h = this.replicaHost[rep]!;
    if (h < 0) return;
    const s = this.replicaServer[rep]!;
    this.replicaHost[rep] = -1;
    this.freeCpu[h] = this.freeCpu[h]! + this.serverCpu[s]!;
    this.freeMem[h] = this.freeMem[h]! + this.serverMem[s]!;
    this.freeSlots[h] = this.freeSlots[h]! + 1;
    this.loadStale[h] = 1;
    this.hostReplicas[h]!--;
    const t = this.serverTenant[s]!;
    if (this.hostTenants.remove(h, t) === 0) {
      this.tenantDistinct[h]!--;
      this.tenantSum[h] = this.tenantSum[h]! - t;
    }
    if (this.serverDedicated[s]) this.dedicatedCount[h]!--;
    const stage = this.serverStage[s]!;
    if (stage === STAGE_PRODUCTION) this.productionCount[h]!--;
    else if (stage === STAGE_STAGING) this.stagingCount[h]!--;
    const e = this.hostEnv[h]!;
    if (e >= 0) for (let i = this.envStart[s]!; i < this.envStart[s + 1]!; i++) this.graph.removeEdge(this.envList[i]!, e);
  }

  setHostState(h: number, state: keyof typeof HOST_STATE_CODE): void {
    const g = this.groups.list[this.groups.ofHost[h]!]!;
    const wasReady = this.hostState[h] === HS_READY;
    this.hostState[h] = HOST_STATE_CODE[state];
    const ready = this.hostState[h] === HS_READY;
    if (ready !== wasReady) {
      g.ready += ready ? 1 : -1;
      this.readyVersion++;
    }
  }
}
