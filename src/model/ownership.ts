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

/**
 * The topology named by an alias, or undefined when the alias is not netplan-k's. A topology
 * name holds no ":", so what follows one is a record (see adoptedAlias), not the name.
 */
export function ownerOfAlias(alias: string | undefined): string | undefined {
  return alias?.startsWith(ALIAS_PREFIX)
    ? alias.slice(ALIAS_PREFIX.length).split(":", 1)[0]
    : undefined;
}

/** How a shared device was when netplan-k adopted it, so that destroy can hand it back so. */
export interface FoundState {
  readonly up: boolean;
  readonly mtu: number;
}

const FOUND_RECORD = /^netplan-k:[a-z0-9-]+:was-(up|down)-mtu-(\d+)$/;

/**
 * The alias of a shared device netplan-k adopts (tunl0): the owner's alias plus how the device
 * was found, "netplan-k:<topology>:was-up-mtu-1480". There is no state file: the record lives
 * on the device itself, and only the characters ip accepts in an alias are used.
 */
export const adoptedAlias = (topology: string, found: FoundState): string =>
  `${ownerAlias(topology)}:was-${found.up ? "up" : "down"}-mtu-${found.mtu}`;

/** How an adopted device was found, from its alias; undefined when the alias holds no record. */
export function foundStateOfAlias(alias: string | undefined): FoundState | undefined {
  const match = FOUND_RECORD.exec(alias ?? "");
  return match === null ? undefined : { up: match[1] === "up", mtu: Number(match[2]) };
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
