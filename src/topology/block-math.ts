import { Address4 } from "ip-address";

/** Address arithmetic on blocks, all through ip-address's bigint view of an address. */

/** The canonical text of a prefix: `10.244.1.0/24`. */
export const cidrText = (prefix: Address4): string => prefix.networkForm();

/** True when the prefix is its own network address (no host bits set). */
export const isNetwork = (prefix: Address4): boolean =>
  prefix.startAddress().bigInt() === prefix.bigInt();

/** Two prefixes overlap exactly when one contains the other. */
export const overlaps = (a: Address4, b: Address4): boolean => a.isInSubnet(b) || b.isInSubnet(a);

/** Number of addresses in a prefix. */
export const sizeOf = (prefix: Address4): bigint =>
  prefix.endAddress().bigInt() - prefix.startAddress().bigInt() + 1n;

/** Number of blocks of length `hostPrefix` in `cluster`. */
export const blockCount = (cluster: Address4, hostPrefix: number): bigint =>
  hostPrefix < cluster.subnetMask ? 0n : sizeOf(cluster) / sizeOf(blockAt(cluster, hostPrefix, 0n));

/** The `slot`-th block of length `hostPrefix` in `cluster`. */
export function blockAt(cluster: Address4, hostPrefix: number, slot: bigint): Address4 {
  const first = new Address4(`${cluster.startAddress().correctForm()}/${hostPrefix}`);
  const network = cluster.startAddress().bigInt() + slot * sizeOf(first);
  return new Address4(`${Address4.fromBigInt(network).correctForm()}/${hostPrefix}`);
}

/** The address `offset` addresses into a block (0 is its network address). */
export const addressAt = (block: Address4, offset: bigint): Address4 =>
  Address4.fromBigInt(block.startAddress().bigInt() + offset);

/** How far into the block an address lies (0 is its network address). */
export const offsetOf = (block: Address4, address: Address4): bigint =>
  address.bigInt() - block.startAddress().bigInt();

/** Orders dotted IPv4 addresses numerically (so 192.0.2.9 comes before 192.0.2.10). */
export function compareAddresses(a: string, b: string): number {
  const difference = new Address4(a).bigInt() - new Address4(b).bigInt();
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
