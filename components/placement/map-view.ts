import { TILE, type MapLayout } from "./map-layout";

/** The canvas transform: layout point p shows at p * scale + t. */
export interface View {
  scale: number;
  tx: number;
  ty: number;
}

/** Screen pixels kept free around the fitted fleet. */
const FIT_MARGIN = 12;

/** The whole fleet, as large as fits, centred both ways (not pinned to the top of the frame). */
export function fittedView(layout: Pick<MapLayout, "width" | "height">, width: number, height: number): View {
  const room = (px: number) => Math.max(1, px - 2 * FIT_MARGIN);
  const scale = Math.min(room(width) / Math.max(1, layout.width), room(height) / Math.max(1, layout.height));
  return { scale, tx: (width - layout.width * scale) / 2, ty: (height - layout.height * scale) / 2 };
}

/** Zoomed to one host: its tile centred, about six tiles across the shorter side. */
export function focusedView(layout: Pick<MapLayout, "hostX" | "hostY">, host: number, width: number, height: number): View {
  const scale = Math.min(width, height) / (TILE * 6);
  const cx = layout.hostX[host]! + TILE / 2;
  const cy = layout.hostY[host]! + TILE / 2;
  return { scale, tx: width / 2 - cx * scale, ty: height / 2 - cy * scale };
}

/** A frame's aspect ratio rounded to steps of 10%, so a resize re-lays the map out only when its shape really changes. */
export function aspectBucket(aspect: number): number {
  const step = Math.log(1.1);
  return Math.round(Math.exp(Math.round(Math.log(Math.min(20, Math.max(0.05, aspect))) / step) * step) * 1000) / 1000;
}

/** Zoomed by `factor` about screen point p (which stays put), within 0.05x to 8x. */
export function zoomedView(v: View, p: { x: number; y: number }, factor: number): View {
  const scale = Math.min(8, Math.max(0.05, v.scale * factor));
  const f = scale / v.scale;
  return { scale, tx: p.x - (p.x - v.tx) * f, ty: p.y - (p.y - v.ty) * f };
}

const PAN_STEP = 60;
const ARROWS: Record<string, [number, number]> = {
  ArrowLeft: [PAN_STEP, 0],
  ArrowRight: [-PAN_STEP, 0],
  ArrowUp: [0, PAN_STEP],
  ArrowDown: [0, -PAN_STEP],
};

/** The view after a key on the focused map (arrows pan, + and - zoom about the centre, 0 fits), or null for other keys. */
export function keyedView(v: View, key: string, width: number, height: number): View | "fit" | null {
  const arrow = ARROWS[key];
  if (arrow) return { ...v, tx: v.tx + arrow[0], ty: v.ty + arrow[1] };
  if (key === "+" || key === "=") return zoomedView(v, { x: width / 2, y: height / 2 }, 1.25);
  if (key === "-") return zoomedView(v, { x: width / 2, y: height / 2 }, 0.8);
  return key === "0" ? "fit" : null;
}
