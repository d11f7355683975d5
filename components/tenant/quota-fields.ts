/** The quota limits an admin edits, in display order (keys match ZQuotaLimits). */
export const QUOTA_FIELDS = [
  { key: "maxDevelopmentEnvs", label: "Development environments" },
  { key: "maxStagingEnvs", label: "Staging environments" },
  { key: "maxProductionEnvs", label: "Production environments" },
  { key: "maxReplicas", label: "Replicas" },
  { key: "maxCpuMillis", label: "CPU (millicores)" },
  { key: "maxMemoryMiB", label: "Memory (MiB)" },
] as const;
export type QuotaKey = (typeof QUOTA_FIELDS)[number]["key"];

export const DEFAULT_QUOTA: Record<QuotaKey, number> = {
  maxDevelopmentEnvs: 5,
  maxStagingEnvs: 3,
  maxProductionEnvs: 2,
  maxReplicas: 15,
  maxCpuMillis: 8000,
  maxMemoryMiB: 16384,
};
