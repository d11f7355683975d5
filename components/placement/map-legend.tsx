import type { DecodedMap, MapSelection } from "@/server/services/placement-map/selection";
import { MAP_REPLICA_STATES, MAP_STAGES, type ColorMode } from "@/server/services/placement-map/types";
import { PALETTE, SHARED_COLOR, STAGE_COLORS, STATE_COLORS } from "./map-draw";

function Swatch({ color, label }: { color: string; label: string }) {
  return (
    <li className="flex items-center gap-1.5">
      <span aria-hidden="true" className="inline-block size-3 rounded-sm" style={{ background: color }} />
      {label}
    </li>
  );
}

/** What the colours mean in the current mode (tenants and servers: the ones selected, plus "shared"). */
export function MapLegend({ d, color, sel }: { d: DecodedMap; color: ColorMode; sel: MapSelection }) {
  const { map } = d;
  let items: { color: string; label: string }[] = [];
  if (color === "stage") items = MAP_STAGES.map((s, i) => ({ color: STAGE_COLORS[i]!, label: s }));
  else if (color === "state") items = MAP_REPLICA_STATES.map((s) => ({ color: STATE_COLORS[s], label: s }));
  else if (color === "tenant") {
    const t = sel.tenant ? map.tenants.slug.indexOf(sel.tenant) : -1;
    items = [
      ...(t >= 0 ? [{ color: PALETTE[(t * 31) % PALETTE.length]!, label: map.tenants.name[t]! }] : []),
      { color: SHARED_COLOR, label: "shared by several tenants" },
    ];
  } else {
    const s = sel.server ? map.servers.name.indexOf(sel.server) : -1;
    if (s >= 0) items = [{ color: PALETTE[(s * 7919) % PALETTE.length]!, label: map.servers.name[s]! }];
  }
  return (
    <div className="flex flex-wrap items-center gap-x-6 gap-y-2 text-xs text-muted-foreground">
      <span className="font-medium text-foreground">
        Colour by {color === "server" ? "state server" : color === "state" ? "replica state" : color}
        {color === "tenant" || color === "server" ? " (each one its own hue)" : ""}
      </span>
      <ul aria-label="Legend" className="flex flex-wrap gap-3">
        {items.map((i) => (
          <Swatch key={i.label} {...i} />
        ))}
      </ul>
      <ul aria-label="Host tiles" className="flex flex-wrap gap-3">
        <Swatch color="#cbd5e1" label="ready" />
        <Swatch color="#d97706" label="cordoned" />
        <Swatch color="#ea580c" label="draining" />
        <Swatch color="#dc2626" label="down" />
        <Swatch color="#7c3aed" label="machine of an environment (corner)" />
        <Swatch color="#0ea5e9" label="cpu bar" />
        <Swatch color="#8b5cf6" label="memory bar" />
      </ul>
    </div>
  );
}
