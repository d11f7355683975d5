import type { DecodedMap, SelectionResult } from "@/server/services/placement-map/selection";
import { MAP_HOST_STATES, MAP_REPLICA_STATES, type ColorMode } from "@/server/services/placement-map/types";
import { MARK, MARK_COLS, MARK_LEFT, MARK_PITCH, MARK_ROWS, MARK_TOP, TILE, type MapLayout } from "./map-layout";
import { plural } from "@/components/ui/plural";

/**
 * Replica states in the Okabe–Ito colour-blind-safe set; tenants and servers get
 * hues from Paul Tol's palettes chosen far from every state colour (colour by
 * tenant must never paint a replica the legend's "failed" or "running"). The
 * distance is checked in map-draw-palette.test.ts.
 */
export const STATE_COLORS: Record<(typeof MAP_REPLICA_STATES)[number], string> = {
  pending: "#F0E442",
  scheduled: "#E69F00",
  starting: "#56B4E9",
  learner: "#004488",
  running: "#009E73",
  failed: "#D55E00",
  stopping: "#999999",
};
/** Ten hues for tenants and state servers (hashed by index), none near a state colour. */
export const PALETTE = ["#332288", "#0072B2", "#CC79A7", "#882255", "#AA4499", "#999933", "#DDCC77", "#661100", "#FFB6C1", "#000000"];
export const SHARED_COLOR = "#BBBBBB";
export const STAGE_COLORS = ["#D55E00", "#E69F00", "#0072B2"]; // production, staging, development
/** Colours of a host tile's parts, shared by the canvas drawing (drawHost) and the pixel one (map-raster.ts). */
export const TILE_COLORS = {
  bar: "#e2e8f0",
  cpu: "#0ea5e9",
  mem: "#8b5cf6",
  hot: "#dc2626",
  slot: "#f1f5f9",
  risk: "#b91c1c",
  machine: "#7c3aed",
  lost: "#000000",
} as const;
export const HOST_FILL: Record<(typeof MAP_HOST_STATES)[number], string> = {
  ready: "#ffffff",
  cordoned: "#fef3c7",
  draining: "#ffedd5",
  down: "#fee2e2",
};
export const HOST_BORDER: Record<(typeof MAP_HOST_STATES)[number], string> = {
  ready: "#cbd5e1",
  cordoned: "#d97706",
  draining: "#ea580c",
  down: "#dc2626",
};

export function colorOf(d: DecodedMap, mode: ColorMode, replica: number): string {
  const s = d.replicaServer[replica]!;
  if (mode === "state") return STATE_COLORS[MAP_REPLICA_STATES[d.map.replicas.state[replica]!]!];
  if (mode === "stage") return STAGE_COLORS[d.map.servers.stage[s]!] ?? SHARED_COLOR;
  if (mode === "server") return PALETTE[(s * 7919) % PALETTE.length]!;
  const t = d.map.servers.tenant[s]!;
  return t < 0 ? SHARED_COLOR : PALETTE[(t * 31) % PALETTE.length]!;
}

export interface Overlays {
  /** Hosts whose loss breaks some server's quorum. */
  riskHosts?: Uint8Array;
  /** Replicas of servers at risk. */
  riskReplicas?: Uint8Array;
  /** What-if: hosts lost, and hosts receiving moved replicas. */
  lostHosts?: Uint8Array;
  targetHosts?: Uint8Array;
  /** The host whose drawer is open. */
  focusHost?: number;
}

export interface DrawInput {
  ctx: CanvasRenderingContext2D;
  layout: MapLayout;
  d: DecodedMap;
  sel: SelectionResult;
  color: ColorMode;
  overlays: Overlays;
  /** World rectangle to draw (everything else is skipped). */
  view: { x: number; y: number; w: number; h: number };
  /** Pixels per world unit: decides how much detail is worth drawing. */
  scale: number;
}

/** Draws the map in world coordinates (the caller sets the transform). */
export function drawMap(input: DrawInput): void {
  drawLabels(input);
  const { ctx, layout, d, sel, color, overlays, view, scale } = input;
  for (const zone of layout.zones) {
    if (zone.y > view.y + view.h || zone.y + zone.h < view.y || zone.x > view.x + view.w || zone.x + zone.w < view.x) continue;
    for (const box of zone.domains) {
      if (box.x > view.x + view.w || box.x + box.w < view.x) continue;
      for (const h of box.hosts) {
        const x = layout.hostX[h]!;
        const y = layout.hostY[h]!;
        if (x > view.x + view.w || x + TILE < view.x || y > view.y + view.h || y + TILE < view.y) continue;
        drawHost(ctx, d, h, x, y, sel, color, overlays, scale);
      }
    }
  }
}

/** Zone titles and failure-domain labels, in world coordinates (map-raster.ts draws the hosts under them). */
export function drawLabels({ ctx, layout, d, view }: Pick<DrawInput, "ctx" | "layout" | "d" | "view">): void {
  const { map } = d;
  ctx.textBaseline = "top";
  for (const zone of layout.zones) {
    if (zone.y > view.y + view.h || zone.y + zone.h < view.y || zone.x > view.x + view.w || zone.x + zone.w < view.x) continue;
    ctx.fillStyle = "#0f172a";
    ctx.font = `600 ${layout.zoneFont}px system-ui, sans-serif`;
    const zoneName = map.zones.name[zone.zone] ?? "";
    const purpose = map.zones.purpose[zone.zone]?.replace("_", " ");
    ctx.fillText(fitted(ctx, [`${zoneName} · ${purpose}`, zoneName], zone.w), zone.x, zone.y + layout.zoneFont * 0.25, zone.w);
    for (const box of zone.domains) {
      if (box.x > view.x + view.w || box.x + box.w < view.x) continue;
      ctx.fillStyle = "#475569";
      ctx.font = `${layout.domainFont}px system-ui, sans-serif`;
      const name = map.domains.name[box.domain] ?? "";
      const n = box.hosts.length;
      ctx.fillText(
        fitted(ctx, [`${name} (${plural(n, "host")})`, `${name} · ${n}`, name], box.w),
        box.x,
        box.y + layout.domainFont * 0.2,
        box.w,
      );
    }
  }
}

/** A host tile's outline: its state's, unless a selection or an overlay marks it (the last mark wins). */
export function hostBorder(
  h: number,
  state: (typeof MAP_HOST_STATES)[number],
  sel: SelectionResult,
  o: Overlays,
): { color: string; width: number } {
  let border = { color: HOST_BORDER[state], width: state === "ready" ? 1 : 2 };
  const mark = (color: string, width: number) => (border = { color, width });
  if (sel.active && sel.hosts[h]) mark("#1d4ed8", 2);
  if (o.targetHosts?.[h]) mark("#15803d", 3);
  if (o.riskHosts?.[h]) mark(TILE_COLORS.risk, 2);
  if (o.lostHosts?.[h]) mark(TILE_COLORS.lost, 3);
  if (o.focusHost === h) mark("#f59e0b", 4);
  return border;
}

/** The first label that fits in `width` (else the last, which fillText's maxWidth squeezes to fit). */
function fitted(ctx: CanvasRenderingContext2D, labels: string[], width: number): string {
  for (const label of labels) if (ctx.measureText(label).width <= width) return label;
  return labels[labels.length - 1]!;
}

function drawHost(
  ctx: CanvasRenderingContext2D,
  d: DecodedMap,
  h: number,
  x: number,
  y: number,
  sel: SelectionResult,
  color: ColorMode,
  o: Overlays,
  scale: number,
) {
  const { map } = d;
  const state = MAP_HOST_STATES[map.hosts.state[h]!]!;
  const dim = sel.active && !sel.hosts[h];
  ctx.globalAlpha = dim ? 0.25 : 1;
  ctx.fillStyle = HOST_FILL[state];
  ctx.fillRect(x, y, TILE, TILE);
  // Utilisation: cpu and memory bars along the top edge.
  const cpu = Math.min(1, d.hostCpuUsed[h]! / Math.max(1, map.hosts.cpu[h]!));
  const mem = Math.min(1, d.hostMemUsed[h]! / Math.max(1, map.hosts.mem[h]!));
  ctx.fillStyle = TILE_COLORS.bar;
  ctx.fillRect(x + 2, y + 2, TILE - 4, 2);
  ctx.fillRect(x + 2, y + 5, TILE - 4, 2);
  ctx.fillStyle = cpu > 0.85 ? TILE_COLORS.hot : TILE_COLORS.cpu;
  ctx.fillRect(x + 2, y + 2, (TILE - 4) * cpu, 2);
  ctx.fillStyle = mem > 0.85 ? TILE_COLORS.hot : TILE_COLORS.mem;
  ctx.fillRect(x + 2, y + 5, (TILE - 4) * mem, 2);
  // Replica slots: empty slots as faint cells, replicas as coloured marks.
  const start = d.hostStart[h]!;
  const count = d.hostStart[h + 1]! - start;
  const slots = Math.min(map.hosts.slots[h]!, MARK_COLS * MARK_ROWS);
  if (scale > 0.6) {
    ctx.fillStyle = TILE_COLORS.slot;
    for (let k = count; k < slots; k++)
      ctx.fillRect(x + MARK_LEFT + (k % MARK_COLS) * MARK_PITCH, y + MARK_TOP + Math.floor(k / MARK_COLS) * MARK_PITCH, MARK, MARK);
  }
  const shown = Math.min(count, MARK_COLS * MARK_ROWS);
  for (let k = 0; k < shown; k++) {
    const r = d.hostReplicas[start + k]!;
    const mx = x + MARK_LEFT + (k % MARK_COLS) * MARK_PITCH;
    const my = y + MARK_TOP + Math.floor(k / MARK_COLS) * MARK_PITCH;
    ctx.globalAlpha = dim || (sel.active && !sel.replicas[r]) ? 0.18 : 1;
    ctx.fillStyle = colorOf(d, color, r);
    ctx.fillRect(mx, my, MARK, MARK);
    if (o.riskReplicas?.[r]) {
      ctx.globalAlpha = 1;
      ctx.strokeStyle = TILE_COLORS.risk;
      ctx.lineWidth = 1;
      ctx.strokeRect(mx - 0.5, my - 0.5, MARK + 1, MARK + 1);
    }
  }
  ctx.globalAlpha = dim ? 0.25 : 1;
  // Hosted mode: a machine of an environment carries a violet corner.
  if (map.hosts.env[h]! >= 0) {
    ctx.fillStyle = TILE_COLORS.machine;
    ctx.beginPath();
    ctx.moveTo(x + TILE - 9, y + TILE);
    ctx.lineTo(x + TILE, y + TILE);
    ctx.lineTo(x + TILE, y + TILE - 9);
    ctx.fill();
  }
  const border = hostBorder(h, state, sel, o);
  ctx.strokeStyle = border.color;
  ctx.lineWidth = border.width;
  ctx.strokeRect(x + border.width / 2, y + border.width / 2, TILE - border.width, TILE - border.width);
  if (o.lostHosts?.[h]) {
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + TILE, y + TILE);
    ctx.moveTo(x + TILE, y);
    ctx.lineTo(x, y + TILE);
    ctx.stroke();
  }
  if (state === "down" && scale > 0.6) {
    ctx.strokeStyle = HOST_BORDER.down;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(x + 4, y + TILE - 4);
    ctx.lineTo(x + TILE - 4, y + 8);
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}
