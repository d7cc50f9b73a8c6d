import type { Address, Link } from "../model/index.js";
import { ROUTED_GATEWAY_V6, ROUTED_HOST_VETH_MAC } from "../modes/naming.js";

/**
 * Routed attach's IPv6 gateway, `fe80::ecee:eeff:feee:eeee/64` on each host veth: the kernel
 * gives it to the veth by itself when the veth comes up (the EUI-64 address of its MAC
 * ee:ee:ee:ee:ee:ee, docs/kernel-layout.md "attach: routed"), and every workload's IPv6
 * default route goes through it. Deleted by hand (`ip -6 addr del fe80::ecee:eeff:feee:eeee/64
 * dev <veth>`), the workload is cut off in IPv6 while the link looks converged; apply adds it
 * back (`nodad`, as every IPv6 address netplan-k writes).
 *
 * It is wanted only on a host veth that stays up through the plan (observed up, not
 * recreated) with IPv6 on and already holding routed attach's MAC: one the plan creates,
 * brings up or gives IPv6 back (ipv6-enabled-sysctls.ts) gets it from the kernel, one whose
 * MAC the plan changes (an attach switch) gets it from the link update's commands
 * (applier/change-commands.ts), and an `ip addr add` would then fail ("address already
 * assigned"). A dual-stack cluster only: an IPv4-only one routes nothing through it. Pure.
 */
export function routedGatewayAddresses(
  desiredLinks: readonly Link[],
  stayingUp: ReadonlyMap<string, Link>,
  ipv6Disabled: ReadonlySet<string>,
): Address[] {
  return desiredLinks
    .filter(
      (link) =>
        link.kind === "veth" &&
        link.mac?.toLowerCase() === ROUTED_HOST_VETH_MAC &&
        stayingUp.get(link.name)?.up === true &&
        stayingUp.get(link.name)?.mac?.toLowerCase() === ROUTED_HOST_VETH_MAC &&
        !ipv6Disabled.has(link.name),
    )
    .map((link) => ({ dev: link.name, cidr: `${ROUTED_GATEWAY_V6}/64` }));
}
