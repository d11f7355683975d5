/** Policy rules every installation starts with. The no-self-hosting rule cannot be turned off. */
export const BUILT_IN_POLICIES = [
  {
    kind: "no_self_hosting",
    name: "never-host-on-served-environment",
    builtIn: true,
    enabled: true,
    params: {},
    description: "A state server never runs on machines of an environment it serves, and the hosting graph stays acyclic.",
  },
] as const;
