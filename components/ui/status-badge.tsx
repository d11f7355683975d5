import { Badge, type BadgeProps } from "./badge";

type Tone = NonNullable<BadgeProps["variant"]>;

const TONES: Record<string, Tone> = {
  active: "success",
  ready: "success",
  running: "success",
  healthy: "success",
  pending: "warning",
  scheduled: "warning",
  starting: "warning",
  provisioning: "warning",
  cordoned: "warning",
  draining: "warning",
  stopping: "warning",
  suspended: "destructive",
  failed: "destructive",
  down: "destructive",
  error: "destructive",
};

/** A lifecycle/state word as a coloured badge; unknown states stay neutral. */
export function StatusBadge({ status }: { status: string }) {
  return <Badge variant={TONES[status.toLowerCase()] ?? "secondary"}>{humanize(status)}</Badge>;
}

export function humanize(value: string): string {
  const spaced = value.replace(/[_-]+/g, " ");
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
