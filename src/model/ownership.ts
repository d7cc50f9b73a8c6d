/**
 * How netplan-k recognises its own objects without a state file (DESIGN.md, "Ownership").
 * - links, and a workload namespace's `lo`: the interface alias "netplan-k:<topology>";
 * - routes: the route protocol number below;
 * - neighbours and fdb entries: they live on owned devices (or in owned namespaces);
 * - files: a first line naming the topology.
 */

/**
 * Route protocol number of every route netplan-k installs (`ip route ... proto 77`). Not taken
 * by any entry of iproute2's rt_protos; flannel leaves routes at `boot`, Calico uses 80 and
 * BIRD 12, so none of them is mistaken for ours.
 */
export const ROUTE_PROTOCOL = 77;

const ALIAS_PREFIX = "netplan-k:";

/** The alias that marks a link (or a namespace's lo) as owned by a topology. */
export const ownerAlias = (topology: string): string => `${ALIAS_PREFIX}${topology}`;

/** The topology named by an alias, or undefined when the alias is not netplan-k's. */
export function ownerOfAlias(alias: string | undefined): string | undefined {
  return alias?.startsWith(ALIAS_PREFIX) ? alias.slice(ALIAS_PREFIX.length) : undefined;
}

/** First line of every file netplan-k writes (BIRD's configuration). */
export const fileHeader = (topology: string): string =>
  `# managed by netplan-k, topology ${topology}; edits are overwritten`;

/** The topology named by a file's first line, or undefined when netplan-k did not write it. */
export function ownerOfFile(content: string): string | undefined {
  const first = content.split("\n", 1)[0] ?? "";
  const match = /^# managed by netplan-k, topology ([a-z0-9-]+);/.exec(first);
  return match?.[1];
}
