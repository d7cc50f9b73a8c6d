import { cidrText } from "./block-math.js";
import type { DraftTopology } from "./draft.js";
import { errorAt, type Finding } from "./finding.js";

/**
 * host-gw and bgp route to a peer's underlay address as the next hop, which the kernel accepts
 * only on a directly connected subnet ("Nexthop has invalid gateway"). Every host is compared
 * with the first one, so each host off that segment gets one message naming a pair.
 */
export function checkSegments({ cluster, hosts }: DraftTopology): Finding[] {
  const mode = cluster.mode?.value;
  if (mode !== "host-gw" && mode !== "bgp") return [];
  const located = hosts.flatMap((h) =>
    h.name && h.address ? [{ name: h.name.value, address: h.address }] : [],
  );
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
        "use mode vxlan or ipip, which cross subnets; vxlan.directRouting or ipip.crossSubnet keep direct routes between hosts of one segment",
      ),
    ];
  });
}
