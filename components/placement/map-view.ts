import { TILE, type MapLayout } from "./map-layout";

/** The canvas transform: layout point p shows at p * scale + t. */
export interface View {
  scale: number;
  tx: number;
  ty: number;
}

/** The whole fleet, as large as fits, centred both ways (not pinned to the top of the frame). */
export function fittedView(layout: Pick<MapLayout, "width" | "height">, width: number, height: number): View {
  const scale = Math.min(width / (layout.width + 40), height / (layout.height + 40));
  return { scale, tx: (width - layout.width * scale) / 2, ty: (height - layout.height * scale) / 2 };
}

/** Zoomed to one host: its tile centred, about six tiles across the shorter side. */
export function focusedView(layout: Pick<MapLayout, "hostX" | "hostY">, host: number, width: number, height: number): View {
  const scale = Math.min(width, height) / (TILE * 6);
  const cx = layout.hostX[host]! + TILE / 2;
  const cy = layout.hostY[host]! + TILE / 2;
  return { scale, tx: width / 2 - cx * scale, ty: height / 2 - cy * scale };
}
