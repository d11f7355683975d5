import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../../prisma/demo-data";
import { seedDemo } from "../../../prisma/seed";
import { seedFleet } from "../../../scripts/seed-fleet";
import { createTestDatabase, type TestDatabase } from "../../testing/db";
import { callerAs } from "../../testing/callers";
import { exportRows, toCsv } from "./export";
import { applySelection, decodeMap } from "./selection";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await seedDemo(t.db);
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  await seedFleet(client, { hosts: 40, replicas: 60, environments: 16, tenants: 4, seed: 3, now: new Date("2026-11-20T12:00:00Z") });
  await client.end();
});
afterAll(async () => t?.drop());

describe("placement map API", () => {
  it("returns the whole fleet as one columnar payload that decodes consistently", async () => {
    const api = await callerAs(t.db, DEMO_USERS.support.email);
    const map = await api.placement.map({});
    expect(map.hosts.id).toHaveLength(40);
    expect(map.replicas.host).toHaveLength(60);
    const d = decodeMap(map);
    // Every replica's server index is valid, and replicas per host fit the host's slots.
    expect([...d.replicaServer].every((s) => s >= 0 && s < map.servers.name.length)).toBe(true);
    for (let h = 0; h < map.hosts.id.length; h++) expect(d.hostStart[h + 1]! - d.hostStart[h]!).toBeLessThanOrEqual(map.hosts.slots[h]!);
    expect(await api.placement.version()).toBe(map.version);
  });

  it("filters by tenant environment: only that environment's server's replicas and their hosts", async () => {
    const api = await callerAs(t.db, DEMO_USERS.support.email);
    const map = await api.placement.map({});
    const d = decodeMap(map);
    const e = map.environments.server.findIndex((s) => s >= 0);
    const key = `${map.tenants.slug[map.environments.tenant[e]!]}/${map.environments.name[e]}`;
    const sel = applySelection(d, { env: key });
    const server = map.environments.server[e]!;
    expect(sel.replicaCount).toBe([...d.replicaServer].filter((s) => s === server).length);
    for (let i = 0; i < d.replicaServer.length; i++) expect(sel.replicas[i]).toBe(d.replicaServer[i] === server ? 1 : 0);
    const rows = exportRows(map, { env: key });
    expect(rows).toHaveLength(sel.replicaCount);
    expect(toCsv(rows).split("\r\n")[0]).toContain("state_server");
  });

  it("explains a placed replica (score vs runner-up) and names hosts, not ids", async () => {
    const api = await callerAs(t.db, DEMO_USERS.support.email);
    const placed = await t.db.replica.findFirstOrThrow({
      where: { hostId: { not: null } },
      select: { ordinal: true, host: { select: { name: true } }, stateServer: { select: { name: true } } },
    });
    const why = await api.placement.explain({ server: placed.stateServer.name, ordinal: placed.ordinal });
    expect(why.placed).toBe(true);
    expect(why.host).toBe(placed.host!.name);
    expect(why.chosen?.hostName).toBe(placed.host!.name);
    expect(why.message).toContain(placed.host!.name);
    expect(why.totalHosts).toBe(40);
    await expect(api.placement.explain({ server: "no-such-server", ordinal: 0 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("answers what-if for a failure domain and lists quorum risk", async () => {
    const api = await callerAs(t.db, DEMO_USERS.support.email);
    const risk = await api.placement.risks();
    expect(risk.total).toBe(risk.items.length);
    const w = await api.placement.whatIf({ kind: "failureDomain", failureDomain: "az-1" });
    const onAz1 = await t.db.replica.count({ where: { host: { failureDomain: "az-1", state: { not: "down" } } } });
    expect(w.moved.length + w.failures.length).toBeGreaterThanOrEqual(Math.min(1, onAz1));
    for (const m of w.moved) expect(m.from).toContain("az-1");
  });

  it("rewinds the map through placement events (time travel) and pages the history", async () => {
    const api = await callerAs(t.db, DEMO_USERS.support.email);
    const moved = await t.db.placementEvent.findFirstOrThrow({
      where: { kind: { in: ["moved", "failed_over", "drained"] } },
      orderBy: { id: "asc" },
    });
    const before = await api.placement.map({ asOf: new Date(moved.at.getTime() - 1) });
    const d = decodeMap(before);
    const server = await t.db.stateServer.findUniqueOrThrow({ where: { id: moved.stateServerId }, select: { name: true } });
    const s = before.servers.name.indexOf(server.name);
    const i = [...d.replicaServer].findIndex((x, k) => x === s && before.replicas.ordinal[k] === moved.ordinal);
    if (i >= 0) {
      const from = await t.db.host.findUniqueOrThrow({ where: { id: moved.fromHostId! }, select: { name: true } });
      expect(before.hosts.name[before.replicas.host[i]!]).toBe(from.name);
    }
    const page1 = await api.placement.history({ limit: 5 });
    expect(page1.items).toHaveLength(5);
    const page2 = await api.placement.history({ limit: 5, cursor: page1.nextCursor });
    expect(Number(page2.items[0]!.id)).toBeLessThan(Number(page1.items[4]!.id));
    const host = await t.db.host.findFirstOrThrow({ where: { replicas: { some: {} } }, select: { id: true, name: true } });
    const detail = await api.placement.host({ hostId: host.id });
    expect(detail.name).toBe(host.name);
    expect(detail.replicas.length).toBeGreaterThan(0);
  });

  it("is for support staff and admins only", async () => {
    const user = await callerAs(t.db, DEMO_USERS.user.email);
    await expect(user.placement.map({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(user.placement.explain({ server: "x", ordinal: 0 })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
