"use client";

import { MinusIcon, PlusIcon, ScanIcon } from "lucide-react";
import { useEffect, useLayoutEffect, useMemo, useRef } from "react";
import { Button } from "@/components/ui/button";
import type { DecodedMap, SelectionResult } from "@/server/services/placement-map/selection";
import type { ColorMode } from "@/server/services/placement-map/types";
import { drawMap, type Overlays } from "./map-draw";
import { mapBitmap, paintRaster } from "./map-raster";
import { computeLayout, EMPTY_LAYOUT, hitTest, type Hit } from "./map-layout";
import { fittedView, focusedView, keyedView, type View, zoomedView } from "./map-view";
import { useFrameAspect } from "./use-frame-aspect";

interface MapCanvasProps {
  d: DecodedMap;
  sel: SelectionResult;
  color: ColorMode;
  overlays: Overlays;
  label: string;
  onHover(hit: Hit | null, at: { x: number; y: number } | null): void;
  onPick(hit: Hit): void;
  /** A host to zoom to (a search pick); `seq` makes picking the same host again zoom again. */
  focus?: { host: number; name: string; seq: number } | null;
}

const MAX_CACHE_PX = 2048;
/** Below this zoom (a tile under 24 CSS px) hosts are drawn as pixels (map-raster.ts); above it, as canvas shapes. */
const RASTER_BELOW = 0.6;

/**
 * One <canvas> for the whole fleet. A change of payload, selection or colour
 * is drawn at once (as pixels while tiles are small: map-raster.ts), and the
 * whole map is then drawn into an offscreen bitmap; while the user pans or
 * zooms, each frame is a single drawImage of that bitmap under the view
 * transform (cheap enough for 60 fps with 30k marks). 120 ms after the last
 * movement the visible part is redrawn crisply at the current zoom.
 */
export function MapCanvas({ d, sel, color, overlays, label, onHover, onPick, focus }: MapCanvasProps) {
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  // The layout is shaped for the frame (zones packed to fill it): laid out once the frame is measured,
  // and again when its shape changes by a step (not on every pixel of a resize).
  const aspect = useFrameAspect(wrapRef);
  const layout = useMemo(() => (aspect === null ? EMPTY_LAYOUT : computeLayout(d, aspect)), [d, aspect]);
  const state = useRef({
    view: { scale: 1, tx: 0, ty: 0 } as View,
    fitted: false,
    /** The user panned, zoomed or jumped to a host: a new layout no longer refits the view. */
    moved: false,
    cache: null as HTMLCanvasElement | null,
    cacheScale: 1,
    /** The bitmap shows an older payload, layout, selection or colouring. */
    cacheStale: true,
    cacheTimer: 0 as unknown as ReturnType<typeof setTimeout>,
    frame: 0,
    crispTimer: 0 as unknown as ReturnType<typeof setTimeout>,
    crisp: false,
    width: 0,
    height: 0,
    drag: null as { x: number; y: number; tx: number; ty: number; moved: boolean } | null,
    painted: false,
  });
  const inputs = useRef({ d, layout, sel, color, overlays, onHover, onPick });
  useLayoutEffect(() => {
    inputs.current = { d, layout, sel, color, overlays, onHover, onPick };
  });

  const fit = () => {
    const s = state.current;
    const { layout } = inputs.current;
    if (!s.width || !layout.width) return;
    s.view = fittedView(layout, s.width, s.height);
    s.moved = false;
  };

  const draw = () => {
    const s = state.current;
    const canvas = canvasRef.current;
    if (!canvas || !s.width || inputs.current.layout === EMPTY_LAYOUT) return;
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    const dpr = window.devicePixelRatio || 1;
    const { scale, tx, ty } = s.view;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = "#f8fafc";
    ctx.fillRect(0, 0, s.width, s.height);
    if (!s.crisp && s.cacheStale) rebuildCache();
    if (s.crisp || !s.cache) {
      const input = { ...inputs.current, scale, view: { x: -tx / scale, y: -ty / scale, w: s.width / scale, h: s.height / scale } };
      if (scale < RASTER_BELOW) paintRaster(ctx, canvas.width, canvas.height, { ...input, k: dpr * scale, tx: dpr * tx, ty: dpr * ty });
      else {
        ctx.setTransform(dpr * scale, 0, 0, dpr * scale, dpr * tx, dpr * ty);
        drawMap({ ...input, ctx });
      }
    } else {
      const k = scale / s.cacheScale;
      ctx.setTransform(dpr * k, 0, 0, dpr * k, dpr * tx, dpr * ty);
      ctx.drawImage(s.cache, 0, 0);
    }
    if (s.cacheStale) {
      clearTimeout(s.cacheTimer);
      s.cacheTimer = setTimeout(rebuildCache, 200);
    }
    if (!s.painted) {
      s.painted = true;
      performance.mark("placement-map-painted");
      canvas.dataset.painted = "true";
    }
  };

  const rebuildCache = () => {
    const s = state.current;
    const { d, layout, sel, color, overlays } = inputs.current;
    if (!s.cacheStale || !layout.width) return;
    const bitmap = mapBitmap(s.cache, MAX_CACHE_PX, { d, layout, sel, color, overlays });
    s.cache = bitmap.canvas;
    s.cacheScale = bitmap.scale;
    s.cacheStale = false;
  };

  const schedule = (crisp: boolean) => {
    const s = state.current;
    s.crisp = crisp;
    if (!crisp) {
      clearTimeout(s.crispTimer);
      s.crispTimer = setTimeout(() => schedule(true), 120);
    }
    if (s.frame) return;
    s.frame = requestAnimationFrame(() => {
      s.frame = 0;
      draw();
    });
  };

  // What is drawn changed: draw it now; the pan/zoom bitmap is rebuilt after the first paint (or by the first gesture).
  useEffect(() => {
    const s = state.current;
    if (!layout.width) return;
    s.cacheStale = true;
    if (!s.fitted || !s.moved) {
      fit();
      s.fitted = s.width > 0;
    }
    schedule(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- fit/schedule read refs only
  }, [d, layout, sel, color, overlays]);

  useEffect(() => {
    const s = state.current;
    if (!focus || !s.width || focus.host >= inputs.current.layout.hostX.length) return;
    s.view = focusedView(inputs.current.layout, focus.host, s.width, s.height);
    s.fitted = true;
    s.moved = true;
    canvasRef.current?.setAttribute("data-focused-host", focus.name);
    schedule(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- schedule reads refs only
  }, [focus]);

  useEffect(() => {
    const wrap = wrapRef.current;
    const canvas = canvasRef.current;
    if (!wrap || !canvas) return;
    const s = state.current;
    const resize = () => {
      const dpr = window.devicePixelRatio || 1;
      s.width = wrap.clientWidth;
      s.height = wrap.clientHeight;
      canvas.width = Math.round(s.width * dpr);
      canvas.height = Math.round(s.height * dpr);
      canvas.style.width = `${s.width}px`;
      canvas.style.height = `${s.height}px`;
      if (!s.fitted && inputs.current.layout.width) {
        fit();
        s.fitted = true;
      }
      schedule(true);
    };
    resize();
    const ro = new ResizeObserver(resize);
    ro.observe(wrap);
    const local = (e: { clientX: number; clientY: number }) => {
      const r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    };
    const hitAt = (p: { x: number; y: number }) => {
      const { scale, tx, ty } = s.view;
      return hitTest(inputs.current.layout, inputs.current.d, (p.x - tx) / scale, (p.y - ty) / scale);
    };
    const zoomAt = (p: { x: number; y: number }, factor: number) => {
      s.view = zoomedView(s.view, p, factor);
      s.moved = true;
      schedule(false);
    };
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      zoomAt(local(e), Math.exp(-e.deltaY * 0.0015));
    };
    const onDown = (e: PointerEvent) => {
      canvas.setPointerCapture(e.pointerId);
      s.drag = { ...local(e), tx: s.view.tx, ty: s.view.ty, moved: false };
    };
    const onMove = (e: PointerEvent) => {
      const p = local(e);
      if (s.drag) {
        const dx = p.x - s.drag.x;
        const dy = p.y - s.drag.y;
        if (Math.abs(dx) + Math.abs(dy) > 3) s.drag.moved = true;
        if (s.drag.moved) {
          s.view = { ...s.view, tx: s.drag.tx + dx, ty: s.drag.ty + dy };
          s.moved = true;
          schedule(false);
          return;
        }
      }
      inputs.current.onHover(hitAt(p), p);
    };
    const onUp = (e: PointerEvent) => {
      const drag = s.drag;
      s.drag = null;
      if (drag && !drag.moved) {
        const hit = hitAt(local(e));
        if (hit) inputs.current.onPick(hit);
      }
    };
    const onLeave = () => inputs.current.onHover(null, null);
    const onKey = (e: KeyboardEvent) => {
      const next = keyedView(s.view, e.key, s.width, s.height);
      if (!next) return;
      e.preventDefault();
      if (next === "fit") fit();
      else {
        s.view = next;
        s.moved = true;
      }
      schedule(next === "fit");
    };
    canvas.addEventListener("wheel", onWheel, { passive: false });
    canvas.addEventListener("pointerdown", onDown);
    canvas.addEventListener("pointermove", onMove);
    canvas.addEventListener("pointerup", onUp);
    canvas.addEventListener("pointerleave", onLeave);
    canvas.addEventListener("keydown", onKey);
    return () => {
      ro.disconnect();
      clearTimeout(s.crispTimer);
      clearTimeout(s.cacheTimer);
      cancelAnimationFrame(s.frame);
      canvas.removeEventListener("wheel", onWheel);
      canvas.removeEventListener("pointerdown", onDown);
      canvas.removeEventListener("pointermove", onMove);
      canvas.removeEventListener("pointerup", onUp);
      canvas.removeEventListener("pointerleave", onLeave);
      canvas.removeEventListener("keydown", onKey);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- mounted once; reads refs
  }, []);

  const zoomBy = (factor: number) => {
    const s = state.current;
    s.view = zoomedView(s.view, { x: s.width / 2, y: s.height / 2 }, factor);
    s.moved = true;
    schedule(true);
  };

  return (
    <div ref={wrapRef} className="relative h-full min-h-[420px] w-full overflow-hidden rounded-lg border bg-slate-50">
      <canvas
        ref={canvasRef}
        data-testid="placement-canvas"
        role="img"
        aria-label={label}
        tabIndex={0}
        className="block cursor-crosshair touch-none outline-none focus-visible:ring-2 focus-visible:ring-ring"
      />
      <div className="absolute top-2 right-2 flex flex-col gap-1">
        <Button size="icon" variant="outline" aria-label="Zoom in" onClick={() => zoomBy(1.4)}>
          <PlusIcon />
        </Button>
        <Button size="icon" variant="outline" aria-label="Zoom out" onClick={() => zoomBy(1 / 1.4)}>
          <MinusIcon />
        </Button>
        <Button
          size="icon"
          variant="outline"
          aria-label="Fit the whole fleet"
          onClick={() => {
            fit();
            schedule(true);
          }}
        >
          <ScanIcon />
        </Button>
      </div>
    </div>
  );
}
