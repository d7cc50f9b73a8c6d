/**
 * BIRD's protocols as `birdc show protocols` lists them (BIRD 2.0.12, recorded in
 * test/verify/fixtures/ and test/planner/fixtures/bird/), read by the observation, by apply's
 * wait for BGP and by verify: one parser (observe/parse-bird-protocols.ts) for all three.
 */

/** What the observation keeps of a protocol: enough to judge it, nothing that ticks. */
export interface BirdProtocolState {
  readonly name: string;
  /** "BGP", "Device", "Direct", "Kernel", "Static"... */
  readonly proto: string;
  /**
   * BIRD's protocol state: "up", "start", "down", "flush"... Measured with BIRD 2.0.12: a
   * protocol that `birdc disable` stopped, or that its file marks `disabled;`, is "down" with
   * no info; a BGP session whose peer is down is "start" (info "Active" or "Connect").
   */
  readonly state: string;
  /** The protocol's own status word: "Established" for a BGP session that works; may be "". */
  readonly info: string;
  /** What follows the status word, e.g. "Socket: Connection refused". */
  readonly message?: string;
  /**
   * Desired only: what the protocol does in netplan-k's configuration ("announces this
   * host's block 10.42.1.0/24"), said by a plan that enables it. BIRD lists no such thing.
   */
  readonly purpose?: string;
}

/** One row of `birdc show protocols`. */
export interface BirdProtocol extends BirdProtocolState {
  /** "---" for protocols without a table. */
  readonly table: string;
  readonly since: string;
}

/** A BGP protocol whose session works. */
export const isBgpEstablished = (protocol: BirdProtocolState): boolean =>
  protocol.proto === "BGP" && protocol.state === "up" && protocol.info === "Established";

/**
 * A protocol BIRD does not run: stopped by `birdc disable` (until `birdc enable`, or until a
 * `birdc configure`, which restores what the file says: measured), or marked `disabled;` in
 * its file. BIRD 2.0.12 shows both as state "down"; nothing else stays down.
 */
export const isBirdProtocolDown = (protocol: BirdProtocolState): boolean =>
  protocol.state === "down";
