import { cidrText, type IpPrefix } from "./block-math.js";
import type { DraftTopology, Field } from "./draft.js";
import { errorAt, type Finding } from "./finding.js";

/**
 * For a mode that routes to a peer's underlay address as the next hop (host-gw, bgp: their
 * `checkSettings`), which the kernel accepts only on a directly connected subnet ("Nexthop
 * has invalid gateway"): every host is compared with the first one, so each host off that
 * segment gets one message naming a pair.
 */
export function checkOneSegment({ cluster, hosts }: DraftTopology): Finding[] {
  // An IPv6-only cluster routes no IPv4: its hosts' IPv4 addresses, if any, carry nothing.
  const v4 =
    cluster.cidrFamilies?.v4 === false
      ? []
      : checkFamilySegment(
          cluster.mode?.value,
          hosts.flatMap((h) =>
            h.name && h.address ? [{ name: h.name.value, address: h.address }] : [],
          ),
          crossingHint(cluster.cidrV6 !== undefined),
        );
  // A cluster with IPv6 routes it to the peer's IPv6 underlay address: one hop away too.
  const v6 =
    cluster.cidrV6 === undefined
      ? []
      : checkFamilySegment(
          cluster.mode?.value,
          hosts.flatMap((h) =>
            h.name && h.addressV6 ? [{ name: h.name.value, address: h.addressV6 }] : [],
          ),
          crossingHint(true),
        );
  return [...v4, ...v6];
}

/**
 * The modes that cross subnets, for a hint: ipip carries IPv4 only (src/modes/ipip.ts), so a
 * cluster with IPv6 is pointed at vxlan alone.
 */
const crossingHint = (hasIpv6: boolean): string =>
  hasIpv6
    ? "use mode vxlan, which crosses subnets in both families (ipip carries IPv4 only); vxlan.directRouting keeps direct routes between hosts of one segment"
    : "use mode vxlan or ipip, which cross subnets; vxlan.directRouting or ipip.crossSubnet keep direct routes between hosts of one segment";

function checkFamilySegment(
  mode: string | undefined,
  located: readonly { name: string; address: Field<IpPrefix> }[],
  hint: string,
): Finding[] {
  const [reference, ...others] = located;
  if (reference === undefined) return [];
  const referenceSubnet = cidrText(reference.address.value);
  return others.flatMap((host) => {
    const subnet = cidrText(host.address.value);
    if (subnet === referenceSubnet) return [];
    return [
      errorAt(
        host.address.path,
        `mode ${mode} needs every pair of hosts on one segment, but ${host.name} (${subnet}) and ${reference.name} (${referenceSubnet}) are on different subnets`,
        hint,
      ),
    ];
  });
}
