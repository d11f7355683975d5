import type { DesiredMember } from "./agent";

/**
 * How a member is addressed, the same for the controller and the agent: a
 * member of a TLS cluster has https peer URLs in its `initialCluster` (the
 * controller writes them so when the cluster has an authority), and then its
 * client URL is https too.
 */
export const isSecure = (member: Pick<DesiredMember, "initialCluster">) => member.initialCluster?.includes("https://") ?? false;

/** A member's client or peer URL (an IPv6 address in brackets). */
export const memberUrl = (address: string, port: number, secure: boolean) =>
  `${secure ? "https" : "http"}://${address.includes(":") ? `[${address}]` : address}:${port}`;
