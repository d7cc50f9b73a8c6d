/**
 * A forwarding database entry of a VXLAN device: frames for `mac` go to the underlay address
 * `dst`.
 */
export interface FdbEntry {
  readonly dev: string;
  readonly mac: string;
  readonly dst: string;
}

/**
 * Whether the kernel keeps a list of destinations for this MAC: only the all-zeros MAC (the
 * default destination) and group MACs (the lowest bit of the first octet) take more than one
 * (`bridge fdb append`). For a unicast MAC `append` adds nothing when the MAC is there, and
 * `replace` moves the one destination (the kernel's vxlan_fdb_update).
 */
export function isFloodMac(mac: string): boolean {
  const octets = mac.split(":").map((octet) => parseInt(octet, 16));
  const first = octets[0] ?? 0;
  return (first & 1) === 1 || octets.every((octet) => octet === 0);
}

/**
 * The kernel's identity of an entry: one per device and unicast MAC (its destination can
 * change in place), one per destination of a flood MAC.
 */
export const fdbKey = (entry: FdbEntry): string =>
  isFloodMac(entry.mac) ? `${entry.dev}/${entry.mac}/${entry.dst}` : `${entry.dev}/${entry.mac}`;
