/**
 * A forwarding database entry of a VXLAN device: frames for `mac` go to the underlay address
 * `dst`.
 */
export interface FdbEntry {
  readonly dev: string;
  readonly mac: string;
  readonly dst: string;
  /**
   * A UDP port other than the device's `dstport` for this destination (`bridge fdb … port N`;
   * `bridge -j fdb` prints it only when it differs: vxlan_fdb_info). netplan-k never sets one,
   * so an observed one is a change: packets for the MAC go to a port no peer listens on.
   */
  readonly port?: number;
  /** A VNI other than the device's for this destination (`… vni N`); as `port`. */
  readonly vni?: number;
}

const ALL_ZEROS_MAC = /^0+(:0+)*$/;

/**
 * Whether the kernel keeps a list of destinations for this MAC: only the all-zeros MAC (the
 * default destination) and group MACs (the lowest bit of the first octet) take more than one
 * (`bridge fdb append`). For a unicast MAC `append` adds nothing when the MAC is there, and
 * `replace` moves the one destination (the kernel's vxlan_fdb_update).
 */
export function isFloodMac(mac: string): boolean {
  // parseInt stops at the first ":": the first octet. Called for every fdb key of a plan.
  return (parseInt(mac, 16) & 1) === 1 || ALL_ZEROS_MAC.test(mac);
}

/**
 * The kernel's identity of an entry: one per device and unicast MAC (its destination can
 * change in place), one per destination of a flood MAC.
 */
export const fdbKey = (entry: FdbEntry): string =>
  isFloodMac(entry.mac) ? `${entry.dev}/${entry.mac}/${entry.dst}` : `${entry.dev}/${entry.mac}`;
