/**
 * IPv4 addresses and prefixes as unsigned 32-bit numbers, for the hot paths of compiling and
 * planning thousands of hosts, where building an `ip-address` object per address dominated
 * the time (a 500-host plan parsed the same addresses hundreds of times each). Accepts the
 * same dotted quads as `ip-address` (no leading zeros, each octet at most 255).
 */

/** An address or prefix: the address as a number, and the prefix length (32 without one). */
export interface Ipv4Prefix {
  readonly address: number;
  readonly length: number;
}

const OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
const PREFIX_PATTERN = new RegExp(
  `^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}(?:/(3[0-2]|[12]?[0-9]))?$`,
);

/** "10.244.1.0/24" or "10.244.1.5" as numbers; undefined when it is neither. */
export function parseIpv4Prefix(text: string): Ipv4Prefix | undefined {
  const match = PREFIX_PATTERN.exec(text);
  if (match === null) return undefined;
  const address =
    ((Number(match[1]) << 24) |
      (Number(match[2]) << 16) |
      (Number(match[3]) << 8) |
      Number(match[4])) >>>
    0;
  return { address, length: match[5] === undefined ? 32 : Number(match[5]) };
}

/** The mask of a prefix length as an unsigned number: 24 gives 255.255.255.0. */
export const ipv4Mask = (length: number): number =>
  length === 0 ? 0 : (~0 << (32 - length)) >>> 0;

/** Whether `inner` lies inside `outer` (as ip-address's isInSubnet: at least as long, same leading bits). */
export const isIpv4PrefixInside = (inner: Ipv4Prefix, outer: Ipv4Prefix): boolean =>
  inner.length >= outer.length &&
  (inner.address & ipv4Mask(outer.length)) >>> 0 === (outer.address & ipv4Mask(outer.length)) >>> 0;

/** A number as a dotted quad: 0x0af40100 gives "10.244.1.0". */
export const formatIpv4 = (address: number): string =>
  `${address >>> 24}.${(address >>> 16) & 255}.${(address >>> 8) & 255}.${address & 255}`;
