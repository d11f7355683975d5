"use client";

import { Button } from "@/components/ui/button";
import { MAP_HOST_STATES, MAP_REPLICA_STATES } from "@/server/services/placement-map/types";
import { ReplicaExplanation } from "./replica-explanation";
import { type PanelProps } from "./panel-props";
import { plural } from "@/components/ui/plural";

const HOST_CHIPS = 12;

export function SelectionPanel({ d, sel, state, update }: PanelProps) {
  const { map } = d;
  const hosts: number[] = [];
  // A handful of chips, not a wall of 2,000: search or a filter finds the rest.
  for (let h = 0; h < map.hosts.id.length && hosts.length < HOST_CHIPS; h++) if (sel.hosts[h]) hosts.push(h);
  const pending: number[] = [];
  for (let i = 0; i < map.replicas.host.length && pending.length < 30; i++)
    if (map.replicas.host[i]! < 0 && sel.replicas[i]) pending.push(i);
  const hostStates = MAP_HOST_STATES.map((s, k) => ({ s, n: map.hosts.state.filter((x) => x === k).length }));
  const replicaStates = MAP_REPLICA_STATES.map((s, k) => ({ s, n: map.replicas.state.filter((x) => x === k).length }));
  const [rServer, rOrdinal] = state.replica && !state.open ? state.replica.split("#") : [];
  return (
    <>
      <dl className="grid grid-cols-2 gap-2 text-xs" data-testid="fleet-summary">
        <div>
          <dt className="text-muted-foreground">Hosts</dt>
          <dd>
            {hostStates
              .filter((x) => x.n)
              .map((x) => `${x.n} ${x.s}`)
              .join(", ")}
          </dd>
        </div>
        <div>
          <dt className="text-muted-foreground">Replicas</dt>
          <dd>
            {replicaStates
              .filter((x) => x.n)
              .map((x) => `${x.n} ${x.s}`)
              .join(", ")}
          </dd>
        </div>
      </dl>
      <section aria-label="Hosts in the selection">
        <h3 className="mb-1 font-semibold">
          {sel.active
            ? `Hosts in the selection (${sel.hostCount.toLocaleString("en-US")})`
            : `Hosts (${map.hosts.id.length.toLocaleString("en-US")})`}
        </h3>
        <ul className="flex flex-wrap gap-1">
          {hosts.map((h) => (
            <li key={h}>
              <Button
                size="sm"
                variant="outline"
                className="h-7 px-2 text-xs"
                onClick={() => update({ open: map.hosts.name[h], replica: null })}
              >
                {map.hosts.name[h]}
              </Button>
            </li>
          ))}
        </ul>
        {sel.hostCount > hosts.length ? (
          <p className="mt-1 text-xs text-muted-foreground">
            …and {plural(sel.hostCount - hosts.length, "more host")}: search for a host by name, or narrow the selection.
          </p>
        ) : null}
      </section>
      <section aria-label="Replicas without a host">
        <h3 className="mb-1 font-semibold">Not placed ({pending.length === 30 ? "30+" : pending.length})</h3>
        {pending.length === 0 ? <p className="text-xs text-muted-foreground">Every replica in the selection has a host.</p> : null}
        <ul className="flex flex-col gap-1">
          {pending.map((i) => {
            const key = `${map.servers.name[d.replicaServer[i]!]}#${map.replicas.ordinal[i]}`;
            return (
              <li key={key} className="flex items-center justify-between gap-2 text-xs">
                <span>{key.replace("#", " #")}</span>
                <Button
                  size="sm"
                  variant="link"
                  className="h-auto px-0 text-xs"
                  onClick={() => update({ replica: state.replica === key ? null : key, open: null })}
                >
                  Why pending? <span className="sr-only">{key}</span>
                </Button>
              </li>
            );
          })}
        </ul>
      </section>
      {rServer ? <ReplicaExplanation server={rServer} ordinal={Number(rOrdinal)} /> : null}
    </>
  );
}
