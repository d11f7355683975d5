import type { DecodedMap, SelectionResult } from "@/server/services/placement-map/selection";
import { MAP_HOST_STATES, type ColorMode } from "@/server/services/placement-map/types";
import { colorOf, drawLabels, HOST_BORDER, HOST_FILL, hostBorder, type Overlays, TILE_COLORS } from "./map-draw";
import { MARK, MARK_COLS, MARK_LEFT, MARK_PITCH, MARK_ROWS, MARK_TOP, TILE, type MapLayout } from "./map-layout";

/**
 * The host tiles written straight into a pixel buffer (the RGBA words of an
 * ImageData): the same picture as drawMap's hosts, made of axis-aligned
 * rectangles snapped to whole pixels. A software canvas spends ~10 µs per
 * fillRect, and a fleet of 2,000 hosts and 30,000 replicas is ~80,000 of them
 * (close to a second per draw on this machine); filling typed-array rows takes
 * a few milliseconds. Used wherever hosts are small on screen (the fitted
 * fleet, the pan/zoom bitmap); zoomed in, drawMap's anti-aliased shapes are
 * cheap because few hosts are visible.
 */
export interface RasterTarget {
  /** width x height pixels, row-major, one little-endian RGBA word each. */
  pixels: Uint32Array;
  width: number;
  height: number;
}

export interface RasterInput {
  layout: MapLayout;
  d: DecodedMap;
  sel: SelectionResult;
  color: ColorMode;
  overlays: Overlays;
  /** Device pixels per world unit, and the world origin's position in device pixels. */
  k: number;
  tx: number;
  ty: number;
  /** World units to CSS pixels (drawMap's `scale`): decides the detail drawn. */
  scale: number;
}

const BACKGROUND = "#f8fafc";
const words = new Map<string, number>();

/** "#rrggbb" as the RGBA word a Uint32Array view of ImageData holds (little-endian: 0xAABBGGRR). */
export function rgbaWord(hex: string): number {
  let w = words.get(hex);
  if (w === undefined) {
    const n = Number.parseInt(hex.slice(1), 16);
    w = (0xff000000 | ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff)) >>> 0;
    words.set(hex, w);
  }
  return w;
}

function blend(under: number, over: number, alpha: number): number {
  const mix = (shift: number) => Math.round(((over >>> shift) & 0xff) * alpha + ((under >>> shift) & 0xff) * (1 - alpha)) << shift;
  return (0xff000000 | mix(16) | mix(8) | mix(0)) >>> 0;
}

/** Fills the device-pixel rectangle [x0, x1) x [y0, y1), edges rounded; a sliver of at least a third of a pixel shows as one. */
export function fillRect(t: RasterTarget, x0: number, y0: number, x1: number, y1: number, word: number, alpha = 1): void {
  let left = Math.round(x0);
  let right = Math.round(x1);
  let top = Math.round(y0);
  let bottom = Math.round(y1);
  if (right <= left && x1 - x0 >= 1 / 3) right = left + 1;
  if (bottom <= top && y1 - y0 >= 1 / 3) bottom = top + 1;
  left = Math.max(0, left);
  top = Math.max(0, top);
  right = Math.min(t.width, right);
  bottom = Math.min(t.height, bottom);
  if (right <= left || bottom <= top) return;
  const { pixels, width } = t;
  for (let y = top; y < bottom; y++) {
    const row = y * width;
    if (alpha >= 1) pixels.fill(word, row + left, row + right);
    else for (let i = row + left; i < row + right; i++) pixels[i] = blend(pixels[i]!, word, alpha);
  }
}

/** A straight stroke `w` device pixels wide, stamped as squares along the line. */
function line(t: RasterTarget, ax: number, ay: number, bx: number, by: number, w: number, word: number, alpha: number): void {
  const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay)));
  const half = Math.max(0.5, w / 2);
  for (let i = 0; i <= steps; i++) {
    const x = ax + ((bx - ax) * i) / steps;
    const y = ay + ((by - ay) * i) / steps;
    fillRect(t, x - half, y - half, x + half, y + half, word, alpha);
  }
}

/** Clears the target to the map's background and draws every host tile that falls inside it. */
export function rasterizeHosts(t: RasterTarget, input: RasterInput): void {
  t.pixels.fill(rgbaWord(BACKGROUND));
  const { layout, k, tx, ty } = input;
  const size = TILE * k;
  const wordOf = replicaWords(input.d, input.color);
  for (let h = 0; h < layout.hostX.length; h++) {
    const x = tx + layout.hostX[h]! * k;
    const y = ty + layout.hostY[h]! * k;
    if (x >= t.width || y >= t.height || x + size <= 0 || y + size <= 0) continue;
    rasterizeHost(t, input, wordOf, h, x, y);
  }
}

const WORD = {
  ...(Object.fromEntries(Object.entries(TILE_COLORS).map(([part, hex]) => [part, rgbaWord(hex)])) as Record<
    keyof typeof TILE_COLORS,
    number
  >),
  down: rgbaWord(HOST_BORDER.down),
};
const MARKS = MARK_COLS * MARK_ROWS;

/** Each replica's colour word for this draw: by state, or by its server (tenant, stage, server), computed once per server. */
function replicaWords(d: DecodedMap, color: ColorMode): (replica: number) => number {
  if (color === "state") return (r) => rgbaWord(colorOf(d, color, r));
  const byServer = new Uint32Array(d.map.servers.name.length);
  return (r) => {
    const s = d.replicaServer[r]!;
    return byServer[s] || (byServer[s] = rgbaWord(colorOf(d, color, r)));
  };
}

function rasterizeHost(t: RasterTarget, input: RasterInput, wordOf: (replica: number) => number, h: number, x: number, y: number): void {
  const { d, sel, overlays: o, k, scale } = input;
  const { map } = d;
  const state = MAP_HOST_STATES[map.hosts.state[h]!]!;
  const dim = sel.active && !sel.hosts[h];
  const alpha = dim ? 0.25 : 1;
  // World units inside the tile -> device pixels.
  const rect = (wx: number, wy: number, ww: number, wh: number, word: number, a: number) =>
    fillRect(t, x + wx * k, y + wy * k, x + (wx + ww) * k, y + (wy + wh) * k, word, a);
  rect(0, 0, TILE, TILE, rgbaWord(HOST_FILL[state]), alpha);
  const cpu = Math.min(1, d.hostCpuUsed[h]! / Math.max(1, map.hosts.cpu[h]!));
  const mem = Math.min(1, d.hostMemUsed[h]! / Math.max(1, map.hosts.mem[h]!));
  rect(2, 2, TILE - 4, 2, WORD.bar, alpha);
  rect(2, 5, TILE - 4, 2, WORD.bar, alpha);
  rect(2, 2, (TILE - 4) * cpu, 2, cpu > 0.85 ? WORD.hot : WORD.cpu, alpha);
  rect(2, 5, (TILE - 4) * mem, 2, mem > 0.85 ? WORD.hot : WORD.mem, alpha);
  const start = d.hostStart[h]!;
  const count = d.hostStart[h + 1]! - start;
  const shown = Math.min(count, MARKS);
  // Empty slots show as faint cells once tiles are large enough to read them.
  const end = scale > 0.6 ? Math.max(shown, Math.min(map.hosts.slots[h]!, MARKS)) : shown;
  for (let i = 0; i < end; i++) {
    const mx = MARK_LEFT + (i % MARK_COLS) * MARK_PITCH;
    const my = MARK_TOP + Math.floor(i / MARK_COLS) * MARK_PITCH;
    if (i >= count) {
      rect(mx, my, MARK, MARK, WORD.slot, alpha);
      continue;
    }
    const r = d.hostReplicas[start + i]!;
    rect(mx, my, MARK, MARK, wordOf(r), dim || (sel.active && !sel.replicas[r]) ? 0.18 : 1);
    if (o.riskReplicas?.[r]) frame(rect, mx - 1, my - 1, MARK + 2, 1, WORD.risk, 1);
  }
  if (map.hosts.env[h]! >= 0) for (let row = 0; row < 9; row++) rect(TILE - row - 1, TILE - 9 + row, row + 1, 1, WORD.machine, alpha);
  const border = hostBorder(h, state, sel, o);
  frame(rect, 0, 0, TILE, border.width, rgbaWord(border.color), alpha);
  const size = TILE * k;
  if (o.lostHosts?.[h]) {
    line(t, x, y, x + size, y + size, 3 * k, WORD.lost, alpha);
    line(t, x + size, y, x, y + size, 3 * k, WORD.lost, alpha);
  }
  if (state === "down" && scale > 0.6) line(t, x + 4 * k, y + size - 4 * k, x + size - 4 * k, y + 8 * k, k, WORD.down, alpha);
}

/** The band a strokeRect of width `w` paints just inside [x, x + size) x [y, y + size). */
function frame(
  rect: (x: number, y: number, w: number, h: number, word: number, a: number) => void,
  x: number,
  y: number,
  size: number,
  w: number,
  word: number,
  alpha: number,
): void {
  rect(x, y, size, w, word, alpha);
  rect(x, y + size - w, size, w, word, alpha);
  rect(x, y + w, w, size - 2 * w, word, alpha);
  rect(x + size - w, y + w, w, size - 2 * w, word, alpha);
}

/** Hosts written as pixels into the whole canvas, then the zone and domain labels drawn over them as text. */
export function paintRaster(
  ctx: CanvasRenderingContext2D,
  width: number,
  height: number,
  input: RasterInput & { view: { x: number; y: number; w: number; h: number } },
): void {
  const image = ctx.createImageData(width, height);
  rasterizeHosts({ pixels: new Uint32Array(image.data.buffer), width, height }, input);
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.putImageData(image, 0, 0);
  ctx.setTransform(input.k, 0, 0, input.k, input.tx, input.ty);
  drawLabels({ ctx, layout: input.layout, d: input.d, view: input.view });
}

/** The whole map as a bitmap at most `maxPx` on a side (reusing `canvas`), for pan and zoom frames. */
export function mapBitmap(
  canvas: HTMLCanvasElement | null,
  maxPx: number,
  input: Omit<RasterInput, "k" | "tx" | "ty" | "scale">,
): { canvas: HTMLCanvasElement; scale: number } {
  const { layout } = input;
  const scale = Math.min(1, maxPx / Math.max(layout.width, layout.height));
  const bitmap = canvas ?? document.createElement("canvas");
  bitmap.width = Math.ceil(layout.width * scale) + 2;
  bitmap.height = Math.ceil(layout.height * scale) + 2;
  const ctx = bitmap.getContext("2d");
  const view = { x: 0, y: 0, w: layout.width, h: layout.height };
  if (ctx) paintRaster(ctx, bitmap.width, bitmap.height, { ...input, scale, view, k: scale, tx: 0, ty: 0 });
  return { canvas: bitmap, scale };
}
