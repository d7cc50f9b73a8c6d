import { Address4, Address6 } from "ip-address";

/**
 * The BGP router id of a host without an IPv4 address: the low 32 bits of its IPv6 underlay
 * address, in dotted form (`2001:db8:61::11` → `0.0.0.17`, `2001:db8::c000:20b` →
 * `192.0.2.11`). BIRD 2 needs a 32-bit `router id`, and takes it from an IPv4 address of
 * the host when none is set, so with no IPv4 underlay it must be set (RFC 6286 lets it be
 * any unique non-zero 32-bit number within the AS). Calico derives one for IPv6-only nodes
 * from a hash of the node name; the address's low bits are chosen here instead because an
 * operator can read them back to the host, they are stable while the address is, and bgp's
 * hosts all share one IPv6 subnet (checkOneSegment), where a /96 or longer makes them unique.
 * For shorter subnets the loader checks that no two hosts and no host get 0.0.0.0 (bgp.ts).
 * Throws a RangeError for a text that is not an IPv6 address.
 */
export function routerIdOfIpv6(address: string): string {
  if (!Address6.isValid(address)) {
    throw new RangeError(`"${address}" is not an IPv6 address`);
  }
  const low = new Address6(address).bigInt() & 0xffffffffn;
  return Address4.fromBigInt(low).correctForm();
}
