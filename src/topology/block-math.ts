import { Address4, Address6 } from "ip-address";

/**
 * Address arithmetic on blocks, all through ip-address's bigint view of an address, for
 * either family: a function given IPv6 prefixes answers in IPv6. Never mix the families in
 * one call (ip-address says an address of one family is in no subnet of the other).
 */

/** A prefix or address of either family. */
export type IpPrefix = Address4 | Address6;

/** The address `value` in `sample`'s family, without prefix. */
const addressOf = <P extends IpPrefix>(sample: P, value: bigint): P =>
  (sample instanceof Address4 ? Address4.fromBigInt(value) : Address6.fromBigInt(value)) as P;

/** A prefix of `sample`'s family: the address `value` with prefix length `length`. */
function sameFamily<P extends IpPrefix>(sample: P, value: bigint, length: number): P {
  const text = `${addressOf(sample, value).correctForm()}/${length}`;
  return (sample instanceof Address4 ? new Address4(text) : new Address6(text)) as P;
}

/** The canonical text of a prefix: `10.244.1.0/24`, `fd00:10:244:1::/64`. */
export const cidrText = (prefix: IpPrefix): string => prefix.networkForm();

/** True when the prefix is its own network address (no host bits set). */
export const isNetwork = (prefix: IpPrefix): boolean =>
  prefix.startAddress().bigInt() === prefix.bigInt();

/** Two prefixes overlap exactly when one contains the other. */
export const overlaps = (a: IpPrefix, b: IpPrefix): boolean => a.isInSubnet(b) || b.isInSubnet(a);

/** Number of addresses in a prefix. */
export const sizeOf = (prefix: IpPrefix): bigint =>
  prefix.endAddress().bigInt() - prefix.startAddress().bigInt() + 1n;

/** Number of blocks of length `hostPrefix` in `cluster`. */
export const blockCount = (cluster: IpPrefix, hostPrefix: number): bigint =>
  hostPrefix < cluster.subnetMask ? 0n : sizeOf(cluster) / sizeOf(blockAt(cluster, hostPrefix, 0n));

/** The `slot`-th block of length `hostPrefix` in `cluster`. */
export function blockAt<P extends IpPrefix>(cluster: P, hostPrefix: number, slot: bigint): P {
  const first = sameFamily(cluster, cluster.startAddress().bigInt(), hostPrefix);
  return sameFamily(cluster, cluster.startAddress().bigInt() + slot * sizeOf(first), hostPrefix);
}

/** The address `offset` addresses into a block (0 is its network address), without prefix. */
export const addressAt = <P extends IpPrefix>(block: P, offset: bigint): P =>
  addressOf(block, block.startAddress().bigInt() + offset);

/** How far into the block an address lies (0 is its network address). */
export const offsetOf = (block: IpPrefix, address: IpPrefix): bigint =>
  address.bigInt() - block.startAddress().bigInt();

/** An address's text without prefix: `10.244.1.2`, `fd00:10:244:1::2` (compressed). */
export const addressText = (address: IpPrefix): string => address.correctForm();

/** Orders dotted IPv4 addresses numerically (so 192.0.2.9 comes before 192.0.2.10). */
export function compareAddresses(a: string, b: string): number {
  const difference = new Address4(a).bigInt() - new Address4(b).bigInt();
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}
