/**
 * The placement map payload, shared by the API and the browser (pure types and
 * constants: the client imports this file). Designed for 30,000 replicas: one
 * columnar object per noun, rows linked by array index (dictionary encoding),
 * so the JSON carries numbers, not repeated ids, and gzips well.
 */
import { HOST_STATES, REPLICA_LIFECYCLES, STAGES } from "../../core/model";

export const MAP_HOST_STATES = HOST_STATES;
export const MAP_REPLICA_STATES = REPLICA_LIFECYCLES;
export const MAP_STAGES = STAGES;

export interface PlacementMap {
  /** Changes whenever hosts, replicas, environments or placement events change (see `placementVersion`). */
  version: string;
  /** Set when the map shows the past: replica hosts rewound through placement events. */
  asOf: string | null;
  generatedAt: string;
  zones: { id: string[]; name: string[]; purpose: string[] };
  /** Failure domains within a security zone (the same domain name may appear under several zones). */
  domains: { zone: number[]; name: string[] };
  tenants: { id: string[]; slug: string[]; name: string[] };
  /** Sorted by zone name, failure domain, host name: the map's reading order. */
  hosts: {
    id: string[];
    name: string[];
    domain: number[];
    /** Index into MAP_HOST_STATES. */
    state: number[];
    cpu: number[];
    mem: number[];
    slots: number[];
    /** Environment whose machine this host is (hosted mode), or -1. */
    env: number[];
    /** Tenant the host is dedicated to, or -1. */
    dedicated: number[];
    /** Last heartbeat, epoch seconds, or -1. */
    heartbeat: number[];
  };
  /** State servers by name (unique): names are what support staff search for and paste. */
  servers: {
    name: string[];
    /** Owner tenant, or the only tenant it serves; -1 when shared by several. */
    tenant: number[];
    /** Index into MAP_STAGES, or -1. */
    stage: number[];
    replicas: number[];
    cpu: number[];
    mem: number[];
    zone: number[];
  };
  environments: { name: string[]; tenant: number[]; stage: number[]; server: number[] };
  /** Sorted by server then ordinal. */
  replicas: {
    /** Server index minus the previous replica's server index (the first is absolute): decode with a running sum. */
    serverDelta: number[];
    ordinal: number[];
    /** -1: not placed. */
    host: number[];
    /** Index into MAP_REPLICA_STATES. */
    state: number[];
  };
}

export const COLOR_MODES = ["tenant", "stage", "server", "state"] as const;
export type ColorMode = (typeof COLOR_MODES)[number];

export const HEALTH_FILTERS = ["healthy", "unhealthy", "pending", "at-risk"] as const;
export type HealthFilter = (typeof HEALTH_FILTERS)[number];
