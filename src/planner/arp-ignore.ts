import type { HostState, Sysctl } from "../model/index.js";
import { makeConflict } from "./make-change.js";
import type { Conflict } from "./plan.js";

/**
 * `net.ipv4.conf.<dev>.arp_ignore`: when the kernel answers an ARP request for one of its own
 * addresses. It uses the larger of `all` and the receiving device's value (IN_DEV_ARP_IGNORE,
 * include/linux/inetdevice.h); 8 means "never answer" (arp_ignore(), net/ipv4/arp.c). Measured
 * on namespaces of this machine (ping after a neighbour flush): 8 on the cluster bridge, or on
 * `all`, cuts the workloads off their gateway; 8 on the underlay interface, or on `all`, cuts
 * the peers off the host; 1, 2, 3 and 4 pass on both (the workloads and the peers share the
 * subnet of the address they ask for). arp_filter 1, arp_announce 1 or 2 and arp_accept 0
 * passed too, so they are not read. What is repaired: the bridge, which netplan-k owns. What
 * is a conflict: `all` and the underlay interface, which it does not.
 */

/** The value that stops every ARP answer. */
const NEVER_ANSWER = "8";
const arpIgnoreKey = (dev: string): string => `net.ipv4.conf.${dev}.arp_ignore`;

const neverAnswers = (observed: readonly Sysctl[], dev: string): boolean =>
  observed.some((s) => s.key === arpIgnoreKey(dev) && s.value === NEVER_ANSWER);

/**
 * The repairs: `arp_ignore = 0` (the kernel's default) for each bridge of the desired root
 * namespace observed with 8. Takes the desired state and the observed sysctls; pure.
 */
export function neededArpIgnoreSysctls(desired: HostState, observed: readonly Sysctl[]): Sysctl[] {
  return desired.root.links
    .filter((link) => link.kind === "bridge" && neverAnswers(observed, link.name))
    .map((link) => ({ key: arpIgnoreKey(link.name), value: "0" }));
}

/**
 * The conflicts: `all` or the underlay interface observed with arp_ignore 8, each naming the
 * sysctl, the value found and the values that work. Pure; throws nothing.
 */
export function findArpIgnoreConflicts(
  observed: readonly Sysctl[],
  underlayInterface: string | undefined,
): Conflict[] {
  if (underlayInterface === undefined) return [];
  const devices = ["all", underlayInterface].filter((dev) => neverAnswers(observed, dev));
  return devices.map((dev) => {
    const key = arpIgnoreKey(dev);
    const who =
      dev === "all"
        ? `every interface (the kernel uses the larger of all and the interface's value)`
        : `the underlay interface ${dev}`;
    return makeConflict(
      "sysctl",
      undefined,
      key,
      `sysctl ${key} is ${NEVER_ANSWER}, so ${who} answers no ARP request and the peers and ` +
        `workloads cannot reach this host; it needs 0 to 3 (0 is the kernel's default): ` +
        `set it (sysctl -w ${key}=0)`,
    );
  });
}
