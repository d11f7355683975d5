import { type RefObject, useLayoutEffect, useState } from "react";
import { aspectBucket } from "./map-view";

/**
 * The element's width / height, in 10% steps (null until measured). Measured in
 * a layout effect, so the first layout is made for the real frame before the
 * browser paints, and again only when a resize changes the shape by a step.
 */
export function useFrameAspect(ref: RefObject<HTMLElement | null>): number | null {
  const [aspect, setAspect] = useState<number | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      if (el.clientWidth && el.clientHeight) setAspect(aspectBucket(el.clientWidth / el.clientHeight));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return aspect;
}
