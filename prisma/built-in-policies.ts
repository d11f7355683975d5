/**
 * Policy rules every installation starts with (the migrations insert them too).
 * The no-self-hosting rule cannot be turned off; production isolation is on by
 * default and an admin may relax it (switch it off), audited like any rule.
 */
export const BUILT_IN_POLICIES = [
  {
    kind: "no_self_hosting",
    name: "never-host-on-served-environment",
    builtIn: true,
    enabled: true,
    params: {},
    description: "A state server never runs on machines of an environment it serves, and the hosting graph stays acyclic.",
  },
  {
    kind: "production_isolation",
    name: "production-apart-from-other-tenants",
    builtIn: true,
    enabled: true,
    params: {},
    description:
      "A production environment never shares a state server with another tenant's development or staging. Switch it off to relax it.",
  },
] as const;
