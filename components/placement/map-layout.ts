/**
 * Layout of the placement map, computed once per payload: security zones are
 * stacked bands, failure domains are columns inside a band, hosts are tiles in
 * a grid inside a column, replicas are marks in a grid inside a tile. Because
 * everything is a grid, hit-testing is arithmetic (a spatial grid with one
 * cell per tile and per mark): O(1) per pointer move, no scan of 30k marks.
 */
import type { DecodedMap } from "@/server/services/placement-map/selection";

export const TILE = 40;
export const GAP = 4;
export const PITCH = TILE + GAP;
export const MARK = 5;
export const MARK_PITCH = 6;
export const MARK_COLS = 6;
export const MARK_TOP = 9;
export const MARK_LEFT = 2;
export const MARK_ROWS = 5;
const ZONE_HEADER = 28;
const DOMAIN_HEADER = 18;
const DOMAIN_GAP = 16;
const ZONE_GAP = 24;

export interface DomainBox {
  domain: number;
  x: number;
  y: number;
  w: number;
  h: number;
  cols: number;
  /** Host indices in reading order. */
  hosts: number[];
}

export interface ZoneBox {
  zone: number;
  x: number;
  y: number;
  w: number;
  h: number;
  domains: DomainBox[];
}

export interface MapLayout {
  width: number;
  height: number;
  zones: ZoneBox[];
  /** Top-left of each host tile, in world units. */
  hostX: Float32Array;
  hostY: Float32Array;
}

/** Columns per domain so that a zone band is roughly as wide as the widest zone needs. */
function columnsFor(hostsInDomain: number, domainsInZone: number): number {
  const target = Math.max(4, Math.round(Math.sqrt((hostsInDomain * 2.2) / Math.max(1, domainsInZone)) * Math.sqrt(domainsInZone)));
  return Math.min(Math.max(1, hostsInDomain), target);
}

export function computeLayout(d: DecodedMap): MapLayout {
  const { map } = d;
  const nHosts = map.hosts.id.length;
  const hostX = new Float32Array(nHosts);
  const hostY = new Float32Array(nHosts);
  const byDomain = new Map<number, number[]>();
  for (let h = 0; h < nHosts; h++) {
    const dom = map.hosts.domain[h]!;
    const list = byDomain.get(dom);
    if (list) list.push(h);
    else byDomain.set(dom, [h]);
  }
  const zones: ZoneBox[] = [];
  let y = 0;
  let width = 0;
  for (let z = 0; z < map.zones.id.length; z++) {
    const domainIds = [...byDomain.keys()].filter((dom) => map.domains.zone[dom] === z).sort((a, b) => a - b);
    if (domainIds.length === 0) continue;
    const zone: ZoneBox = { zone: z, x: 0, y, w: 0, h: 0, domains: [] };
    let x = 0;
    let tallest = 0;
    for (const dom of domainIds) {
      const hosts = byDomain.get(dom)!;
      const cols = columnsFor(hosts.length, domainIds.length);
      const rows = Math.ceil(hosts.length / cols);
      const box: DomainBox = { domain: dom, x, y: y + ZONE_HEADER, w: cols * PITCH, h: DOMAIN_HEADER + rows * PITCH, cols, hosts };
      hosts.forEach((h, i) => {
        hostX[h] = box.x + (i % cols) * PITCH;
        hostY[h] = box.y + DOMAIN_HEADER + Math.floor(i / cols) * PITCH;
      });
      zone.domains.push(box);
      x += box.w + DOMAIN_GAP;
      tallest = Math.max(tallest, box.h);
    }
    zone.w = x - DOMAIN_GAP;
    zone.h = ZONE_HEADER + tallest;
    zones.push(zone);
    width = Math.max(width, zone.w);
    y += zone.h + ZONE_GAP;
  }
  return { width, height: Math.max(0, y - ZONE_GAP), zones, hostX, hostY };
}

export interface Hit {
  host: number;
  /** Replica under the pointer, or -1 (tile background). */
  replica: number;
}

/** The host tile (and replica mark) at a world point, or null. */
export function hitTest(layout: MapLayout, d: DecodedMap, wx: number, wy: number): Hit | null {
  for (const zone of layout.zones) {
    if (wy < zone.y || wy > zone.y + zone.h) continue;
    for (const box of zone.domains) {
      if (wx < box.x || wx >= box.x + box.w) continue;
      const gy = wy - box.y - DOMAIN_HEADER;
      const gx = wx - box.x;
      if (gy < 0) return null;
      const col = Math.floor(gx / PITCH);
      const row = Math.floor(gy / PITCH);
      if (gx - col * PITCH >= TILE || gy - row * PITCH >= TILE) return null;
      const i = row * box.cols + col;
      const host = box.hosts[i];
      if (host === undefined) return null;
      const lx = gx - col * PITCH - MARK_LEFT;
      const ly = gy - row * PITCH - MARK_TOP;
      let replica = -1;
      if (lx >= 0 && ly >= 0) {
        const mc = Math.floor(lx / MARK_PITCH);
        const mr = Math.floor(ly / MARK_PITCH);
        if (mc < MARK_COLS && mr < MARK_ROWS) {
          const k = mr * MARK_COLS + mc;
          if (k < d.hostStart[host + 1]! - d.hostStart[host]!) replica = d.hostReplicas[d.hostStart[host]! + k]!;
        }
      }
      return { host, replica };
    }
    return null;
  }
  return null;
}
