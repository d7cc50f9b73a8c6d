import type { TopologyFile } from "../topology/topology-file.generated.js";

/** A router joining underlay segments: one leg per segment, each an address in CIDR form. */
export interface LabRouter {
  readonly name: string;
  readonly legs: readonly string[];
}

/** The file's `lab:` section with defaults filled in. */
export interface LabSpec {
  /** Prefix of every namespace the lab creates (`<prefix>-<host>`), so a leftover is recognisable. */
  readonly prefix: string;
  /** Run an sshd in every lab host so the ssh transport is exercised for real. */
  readonly sshd: boolean;
  readonly routers: readonly LabRouter[];
}

export const DEFAULT_LAB_PREFIX = "nk";

export const labSpecFromFile = (lab: TopologyFile["lab"]): LabSpec => ({
  prefix: lab?.prefix ?? DEFAULT_LAB_PREFIX,
  sshd: lab?.sshd ?? false,
  routers: (lab?.routers ?? []).map((router) => ({ name: router.name, legs: [...router.legs] })),
});
