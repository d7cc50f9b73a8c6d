import type { LabSpec } from "./topology.js";
import type { TopologyFile } from "./topology-file.generated.js";

export const DEFAULT_LAB_PREFIX = "nk";

/** The `lab:` section with its defaults (prefix nk, no sshd, no routers, no guests). */
export const resolveLab = (lab: NonNullable<TopologyFile["lab"]>): LabSpec => ({
  prefix: lab.prefix ?? DEFAULT_LAB_PREFIX,
  sshd: lab.sshd ?? false,
  routers: (lab.routers ?? []).map((router) => ({ name: router.name, legs: [...router.legs] })),
  guests: [...(lab.guests ?? [])],
});
