/**
 * Layout of the placement map, computed per payload and frame shape: security
 * zones are blocks packed left to right in shelves, failure domains are columns
 * inside a block, hosts are tiles in a grid inside a column, replicas are marks
 * in a grid inside a tile. The shape (host rows per domain, zones per shelf) is
 * the one that shows hosts largest in a frame of the given aspect ratio, so the
 * fitted view fills the frame. Because everything is a grid, hit-testing is
 * arithmetic: O(zones + domains) per pointer move, no scan of 30k marks.
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
const DOMAIN_GAP = 16;
const ZONE_GAP = 24;
/** Titles at the demo's size: a zone title about a third of a tile high, a domain label a quarter. */
const ZONE_FONT = 13;
const DOMAIN_FONT = 10;
/** Rough width of a character of system-ui, as a share of the font size (labels reserve room with it). */
const CHAR_WIDTH = 0.6;

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
  /** Title sizes in world units: they grow with the fleet so they stay readable when it is fitted. */
  zoneFont: number;
  domainFont: number;
  /** Height of a zone's title strip and of a domain's label strip. */
  zoneHeader: number;
  domainHeader: number;
}

/** Nothing laid out yet (the frame is not measured). */
export const EMPTY_LAYOUT: MapLayout = {
  width: 0,
  height: 0,
  zones: [],
  hostX: new Float32Array(0),
  hostY: new Float32Array(0),
  zoneFont: ZONE_FONT,
  domainFont: DOMAIN_FONT,
  zoneHeader: 0,
  domainHeader: 0,
};

/** Fonts grow with the square root of the fleet (as the fitted scale shrinks), from the demo's size up to 4x. */
export function titleScale(hosts: number): number {
  return Math.min(4, Math.max(1, Math.sqrt(hosts) / 12));
}

export const labelWidth = (text: string, font: number) => Math.ceil(text.length * CHAR_WIDTH * font);

interface ZoneShape {
  zone: number;
  domains: { domain: number; hosts: number[]; cols: number; rows: number; w: number }[];
  w: number;
  h: number;
}

/**
 * Lays out the hosts for a frame `aspect` (width / height) wide. Tries every
 * number of host rows per domain and every number of shelves, and keeps the
 * arrangement whose hosts are largest once the whole fleet is scaled into the
 * frame; ties go to fewer shelves.
 */
export function computeLayout(d: DecodedMap, aspect = 1.6): MapLayout {
  const { map } = d;
  const nHosts = map.hosts.id.length;
  const k = titleScale(nHosts);
  const zoneFont = Math.round(ZONE_FONT * k);
  const domainFont = Math.round(DOMAIN_FONT * k);
  const zoneHeader = Math.round(zoneFont * 1.7);
  const domainHeader = Math.round(domainFont * 1.6);
  const byDomain = new Map<number, number[]>();
  for (let h = 0; h < nHosts; h++) {
    const dom = map.hosts.domain[h]!;
    const list = byDomain.get(dom);
    if (list) list.push(h);
    else byDomain.set(dom, [h]);
  }
  const zoneDomains: { zone: number; domains: number[] }[] = [];
  for (let z = 0; z < map.zones.id.length; z++) {
    const domains = [...byDomain.keys()].filter((dom) => map.domains.zone[dom] === z).sort((a, b) => a - b);
    if (domains.length) zoneDomains.push({ zone: z, domains });
  }
  const maxPerDomain = Math.max(1, ...[...byDomain.values()].map((l) => l.length));

  const shapeZones = (rowsWanted: number): ZoneShape[] =>
    zoneDomains.map(({ zone, domains }) => {
      let w = -DOMAIN_GAP;
      let tallest = 0;
      const boxes = domains.map((domain) => {
        const hosts = byDomain.get(domain)!;
        const cols = Math.ceil(hosts.length / rowsWanted);
        const rows = Math.ceil(hosts.length / cols);
        const bw = Math.max(cols * PITCH - GAP, labelWidth(map.domains.name[domain] ?? "", domainFont));
        w += bw + DOMAIN_GAP;
        tallest = Math.max(tallest, rows);
        return { domain, hosts, cols, rows, w: bw };
      });
      w = Math.max(w, labelWidth(map.zones.name[zone] ?? "", zoneFont));
      return { zone, domains: boxes, w, h: zoneHeader + domainHeader + tallest * PITCH - GAP };
    });

  // The search runs on plain numbers (it tries every row count): sizes per zone, then shelves.
  const counts = zoneDomains.map(({ domains }) => domains.map((dom) => byDomain.get(dom)!.length));
  const domainMinW = zoneDomains.map(({ domains }) => domains.map((dom) => labelWidth(map.domains.name[dom] ?? "", domainFont)));
  const zoneMinW = zoneDomains.map(({ zone }) => labelWidth(map.zones.name[zone] ?? "", zoneFont));
  const nZones = zoneDomains.length;
  const zw = new Float64Array(nZones);
  const zh = new Float64Array(nZones);
  /** Width and height of the zones packed in reading order, a new shelf whenever the next would pass `maxWidth`. */
  const packedSize = (maxWidth: number) => {
    let width = 0;
    let height = -ZONE_GAP;
    let x = -1;
    let shelfH = 0;
    for (let z = 0; z < nZones; z++) {
      if (x >= 0 && x + ZONE_GAP + zw[z]! <= maxWidth) {
        x += ZONE_GAP + zw[z]!;
        shelfH = Math.max(shelfH, zh[z]!);
      } else {
        if (x >= 0) height += shelfH + ZONE_GAP;
        x = zw[z]!;
        shelfH = zh[z]!;
      }
      width = Math.max(width, x);
    }
    return { width, height: height + shelfH + ZONE_GAP };
  };

  let best = { rows: 1, maxWidth: Infinity, size: -1 };
  for (let rows = 1; rows <= maxPerDomain; rows++) {
    let total = -ZONE_GAP;
    let widest = 0;
    for (let z = 0; z < nZones; z++) {
      let w = -DOMAIN_GAP;
      let tallest = 0;
      for (let i = 0; i < counts[z]!.length; i++) {
        const cols = Math.ceil(counts[z]![i]! / rows);
        w += Math.max(cols * PITCH - GAP, domainMinW[z]![i]!) + DOMAIN_GAP;
        tallest = Math.max(tallest, Math.ceil(counts[z]![i]! / cols));
      }
      zw[z] = Math.max(w, zoneMinW[z]!);
      zh[z] = zoneHeader + domainHeader + tallest * PITCH - GAP;
      total += zw[z]! + ZONE_GAP;
      widest = Math.max(widest, zw[z]!);
    }
    for (let n = 1; n <= nZones; n++) {
      const maxWidth = Math.max(widest, total / n);
      const packed = packedSize(maxWidth);
      // Tile size once the layout is scaled into a frame of this aspect (frame height 1).
      const size = Math.min(aspect / Math.max(1, packed.width), 1 / Math.max(1, packed.height));
      if (size > best.size * (1 + 1e-9)) best = { rows, maxWidth, size };
    }
  }
  const shelves: ZoneShape[][] = [];
  let shelfX = 0;
  for (const shape of shapeZones(best.rows)) {
    const last = shelves[shelves.length - 1];
    if (last && shelfX + ZONE_GAP + shape.w <= best.maxWidth) {
      last.push(shape);
      shelfX += ZONE_GAP + shape.w;
    } else {
      shelves.push([shape]);
      shelfX = shape.w;
    }
  }

  const hostX = new Float32Array(nHosts);
  const hostY = new Float32Array(nHosts);
  const zones: ZoneBox[] = [];
  let y = 0;
  let width = 0;
  for (const shelf of shelves) {
    let x = 0;
    let shelfHeight = 0;
    for (const shape of shelf) {
      const zone: ZoneBox = { zone: shape.zone, x, y, w: shape.w, h: shape.h, domains: [] };
      let dx = x;
      for (const dom of shape.domains) {
        const box: DomainBox = {
          domain: dom.domain,
          x: dx,
          y: y + zoneHeader,
          w: dom.w,
          h: domainHeader + dom.rows * PITCH - GAP,
          cols: dom.cols,
          hosts: dom.hosts,
        };
        dom.hosts.forEach((h, i) => {
          hostX[h] = box.x + (i % dom.cols) * PITCH;
          hostY[h] = box.y + domainHeader + Math.floor(i / dom.cols) * PITCH;
        });
        zone.domains.push(box);
        dx += dom.w + DOMAIN_GAP;
      }
      zones.push(zone);
      x += shape.w + ZONE_GAP;
      shelfHeight = Math.max(shelfHeight, shape.h);
    }
    width = Math.max(width, x - ZONE_GAP);
    y += shelfHeight + ZONE_GAP;
  }
  return { width, height: Math.max(0, y - ZONE_GAP), zones, hostX, hostY, zoneFont, domainFont, zoneHeader, domainHeader };
}

export interface Hit {
  host: number;
  /** Replica under the pointer, or -1 (tile background). */
  replica: number;
}

/** The host tile (and replica mark) at a world point, or null. */
export function hitTest(layout: MapLayout, d: DecodedMap, wx: number, wy: number): Hit | null {
  for (const zone of layout.zones) {
    if (wy < zone.y || wy > zone.y + zone.h || wx < zone.x || wx > zone.x + zone.w) continue;
    for (const box of zone.domains) {
      if (wx < box.x || wx >= box.x + box.w) continue;
      const gy = wy - box.y - layout.domainHeader;
      const gx = wx - box.x;
      if (gy < 0) return null;
      const col = Math.floor(gx / PITCH);
      const row = Math.floor(gy / PITCH);
      if (col >= box.cols || gx - col * PITCH >= TILE || gy - row * PITCH >= TILE) return null;
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
