import { Address4, Address6 } from "ip-address";
import { overlaps, type IpPrefix } from "./block-math.js";

/**
 * Ranges a cluster cannot route as unicast between hosts, each with what it is (RFC 6890's
 * special-purpose registries; the kernel treats the multicast and loopback ranges apart, and
 * never forwards 0.0.0.0/8, 127.0.0.0/8 or a multicast destination as unicast, so a cluster
 * there plans and applies but carries no packet). 169.254.0.0/16 is link-local, and routed
 * attach gives every workload 169.254.1.1 as its gateway (MODES.md).
 */
const RESERVED: readonly { readonly prefix: IpPrefix; readonly what: string }[] = [
  { prefix: new Address4("0.0.0.0/8"), what: '"this network"' },
  { prefix: new Address4("127.0.0.0/8"), what: "loopback" },
  { prefix: new Address4("169.254.0.0/16"), what: "link-local" },
  { prefix: new Address4("224.0.0.0/4"), what: "multicast" },
  { prefix: new Address4("240.0.0.0/4"), what: "reserved (class E) and broadcast" },
  { prefix: new Address6("::/128"), what: "the unspecified address" },
  { prefix: new Address6("::1/128"), what: "loopback" },
  { prefix: new Address6("::ffff:0:0/96"), what: "IPv4-mapped" },
  { prefix: new Address6("fe80::/10"), what: "link-local" },
  { prefix: new Address6("ff00::/8"), what: "multicast" },
];

/**
 * The special-purpose range `prefix` overlaps ("224.0.0.0/4 (multicast)"), or undefined when
 * it overlaps none. Compares within `prefix`'s own family only. Pure.
 */
export function reservedRangeOf(prefix: IpPrefix): string | undefined {
  const hit = RESERVED.find(
    (range) => range.prefix.v4 === prefix.v4 && overlaps(range.prefix, prefix),
  );
  return hit === undefined ? undefined : `${hit.prefix.address} (${hit.what})`;
}
