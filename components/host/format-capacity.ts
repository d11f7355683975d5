/** 1000 millicores = 1 CPU; show whole CPUs when exact, else one decimal. */
export function formatCpu(millis: number): string {
  const cpus = millis / 1000;
  return `${Number.isInteger(cpus) ? cpus : cpus.toFixed(1)} CPU`;
}

export function formatMemory(mib: number): string {
  if (mib < 1024) return `${mib} MiB`;
  const gib = mib / 1024;
  return `${Number.isInteger(gib) ? gib : gib.toFixed(1)} GiB`;
}
