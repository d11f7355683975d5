import type { Page } from "@playwright/test";

/**
 * What bench:map runs inside Chromium: the frame-rate probe (one synthetic
 * pan or zoom per animation frame) and the same-run baseline, a DOM-rendered
 * map of the same payload; the figures measured before.
 */

/** Figures measured before, kept beside this run's (first paint with 2,000 hosts). */
export const EARLIER_PAINT = [
  { what: "repeat visit, this bench, 2026-11-25 (commit 47691ed)", ms: 306.5 },
  { what: "an outside tester's first visit (issue #15), 2026-11-27", ms: 2500 },
  { what: "first visit, this bench, 2026-11-29 at load 3 (commit e444ecd, before the raster map and the preload link)", ms: 3274.8 },
  {
    what: "first visit, this bench, 2026-11-29 16:33 at load 3.6 (5-minute 3.9, 15-minute 6.0), same AMD EPYC 2-core machine type (commit f7824b5)",
    ms: 2240.6,
  },
];

/** Pans and zooms the element under `selector` for `ms` with one synthetic gesture per frame; returns frames per second. */
export function measureFps(page: Page, selector: string, ms: number) {
  return page.evaluate(
    ({ selector, ms }) =>
      new Promise<{ fps: number; p95: number }>((resolve) => {
        const el = document.querySelector(selector) as HTMLElement;
        const r = el.getBoundingClientRect();
        const cx = r.left + r.width / 2;
        const cy = r.top + r.height / 2;
        const frames: number[] = [];
        const start = performance.now();
        let last = start;
        let i = 0;
        el.dispatchEvent(new PointerEvent("pointerdown", { clientX: cx, clientY: cy, bubbles: true, pointerId: 1 }));
        const step = (now: number) => {
          frames.push(now - last);
          last = now;
          i++;
          if (i % 2)
            el.dispatchEvent(
              new WheelEvent("wheel", { deltaY: i % 40 < 20 ? -40 : 40, clientX: cx, clientY: cy, bubbles: true, cancelable: true }),
            );
          else
            el.dispatchEvent(
              new PointerEvent("pointermove", {
                clientX: cx + 200 * Math.sin(i / 15),
                clientY: cy + 120 * Math.cos(i / 15),
                bubbles: true,
                pointerId: 1,
              }),
            );
          if (now - start < ms) requestAnimationFrame(step);
          else {
            el.dispatchEvent(new PointerEvent("pointerup", { clientX: cx, clientY: cy, bubbles: true, pointerId: 1 }));
            const sorted = frames.slice(1).sort((a, b) => a - b);
            resolve({ fps: (frames.length - 1) / ((now - start) / 1000), p95: sorted[Math.floor(sorted.length * 0.95)] ?? 0 });
          }
        };
        requestAnimationFrame(step);
      }),
    { selector, ms },
  );
}

/**
 * The baseline map: the same payload rendered as DOM (a div per host, a span per
 * replica, zones and domains as flex groups), panned/zoomed by a CSS transform.
 */
export async function renderDomMap(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const t0 = performance.now();
    const res = await fetch(`/api/trpc/placement.map?input=${encodeURIComponent(JSON.stringify({ json: {} }))}`);
    const map = (await res.json()).result.data.json;
    document.body.innerHTML = "";
    const root = document.createElement("div");
    root.id = "dom-map";
    root.style.cssText = "position:fixed;inset:0;overflow:hidden;background:#f8fafc";
    const world = document.createElement("div");
    world.style.cssText = "transform-origin:0 0;display:flex;flex-direction:column;gap:24px";
    const byHost: number[][] = map.hosts.id.map(() => []);
    let s = 0;
    map.replicas.host.forEach((h: number, i: number) => {
      s += map.replicas.serverDelta[i];
      if (h >= 0) byHost[h]!.push(s);
    });
    const domains = new Map<number, HTMLElement>();
    const zones = new Map<number, HTMLElement>();
    map.hosts.id.forEach((_: string, h: number) => {
      const d = map.hosts.domain[h];
      let dom = domains.get(d);
      if (!dom) {
        const z = map.domains.zone[d];
        let zone = zones.get(z);
        if (!zone) {
          zone = document.createElement("section");
          zone.style.cssText = "display:flex;gap:16px";
          zone.title = map.zones.name[z];
          zones.set(z, zone);
          world.appendChild(zone);
        }
        dom = document.createElement("div");
        dom.style.cssText = "display:grid;grid-template-columns:repeat(20,40px);gap:4px";
        domains.set(d, dom);
        zone.appendChild(dom);
      }
      const tile = document.createElement("div");
      tile.title = map.hosts.name[h];
      tile.style.cssText =
        "width:40px;height:40px;border:1px solid #cbd5e1;background:#fff;display:flex;flex-wrap:wrap;gap:1px;padding:9px 2px 0;box-sizing:border-box;align-content:flex-start";
      for (const srv of byHost[h]!) {
        const m = document.createElement("span");
        m.style.cssText = `width:5px;height:5px;background:hsl(${(map.servers.tenant[srv] * 37) % 360} 70% 45%)`;
        tile.appendChild(m);
      }
      dom.appendChild(tile);
    });
    root.appendChild(world);
    document.body.appendChild(root);
    let scale = 0.35;
    let tx = 0;
    let ty = 0;
    let drag: { x: number; y: number } | null = null;
    const apply = () => (world.style.transform = `translate(${tx}px,${ty}px) scale(${scale})`);
    apply();
    root.addEventListener("wheel", (e) => {
      e.preventDefault();
      scale *= Math.exp(-e.deltaY * 0.0015);
      apply();
    });
    root.addEventListener("pointerdown", (e) => (drag = { x: e.clientX - tx, y: e.clientY - ty }));
    root.addEventListener("pointermove", (e) => {
      if (!drag) return;
      tx = e.clientX - drag.x;
      ty = e.clientY - drag.y;
      apply();
    });
    root.addEventListener("pointerup", () => (drag = null));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  });
}
