/**
 * What apply waits for on a host once it is built, and which checks verify runs on it:
 * compiled per host from the topology (src/modes/compile.ts) beside its desired state, so
 * that no stage after compile has to know which mode made the state.
 */

/** What a converged BGP host shows: its sessions up and its peers' blocks learned. */
export interface BgpExpectation {
  /** How many BGP protocols (sessions) BIRD must list, every one Established. */
  readonly sessions: number;
  /** Peer blocks that must be in the kernel's main table as `proto bird`. */
  readonly blocks: readonly string[];
}

/**
 * What apply waits for after every host's build and before any host removes anything: the
 * routes a routing daemon installs must be there, so that old paths go only once new ones work.
 */
export interface HostWaits {
  readonly bgp?: BgpExpectation;
}

/** One BGP session verify expects Established on a host. */
export interface ExpectedBgpSession {
  readonly host: string;
  /** The BIRD protocol name, as `birdc show protocols` lists it. */
  readonly protocol: string;
  readonly peer: string;
  /** The peer's underlay address, the neighbor of the BIRD configuration. */
  readonly address: string;
  /** What the peer is to the host ("mesh peer", "route reflector", "rr client"), for reports. */
  readonly role: string;
}

/** The checks verify runs on a host besides pinging every other workload. */
export interface HostChecks {
  /** Sessions that must be Established; absent when the host speaks no BGP. */
  readonly bgpSessions?: readonly ExpectedBgpSession[];
}
