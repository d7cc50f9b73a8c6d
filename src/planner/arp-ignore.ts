import type { HostState, NamespaceState, Sysctl } from "../model/index.js";
import { formatReason, labelObject } from "./describe-object.js";
import { makeChange, makeConflict } from "./make-change.js";
import type { Change, Conflict } from "./plan.js";

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
 *
 * Inside a workload namespace (measured on a vxlan lab, ping after flushing the neighbours):
 * 8 on the workload's eth0 or on the namespace's `all` cuts the workload off for every
 * packet that must find it (the bridge's ARP request for it goes unanswered: blue → red
 * fails; red → blue still passes, the gateway learns red from red's own request); 1 to 4 on
 * both pass. An owned namespace is netplan-k's own, like the eth0 and the routes in it
 * (DESIGN.md, ownership: the namespace's lo alias), so both are set back to 0 by apply, not
 * reported as conflicts. forwarding and rp_filter are not read there: a workload is an end,
 * not a router (forwarding 0 and 1 passed), and its packets come in on the eth0 its one
 * route goes out of (rp_filter 1 and 2 in both workloads passed).
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

/**
 * The repairs inside one owned workload namespace: `arp_ignore = 0` for `all` and each of the
 * namespace's desired links but lo (ARP never arrives there) observed with 8, as sysctl
 * updates in that namespace. Takes the namespace desired, and its observed sysctls (absent:
 * not observed, nothing to repair). Pure.
 */
export function workloadArpIgnoreChanges(
  desired: NamespaceState,
  observed: readonly Sysctl[] | undefined,
): Change[] {
  if (observed === undefined) return [];
  const devices = ["all", ...desired.net.links.map((link) => link.name).filter((n) => n !== "lo")];
  return devices
    .filter((dev) => neverAnswers(observed, dev))
    .map((dev) => {
      const key = arpIgnoreKey(dev);
      const after: Sysctl = { key, value: "0" };
      return makeChange({
        kind: "sysctl",
        action: "update",
        netns: desired.name,
        key,
        before: { key, value: NEVER_ANSWER },
        after,
        reason: formatReason(
          labelObject("sysctl", after),
          `${NEVER_ANSWER} → 0 (at 8 ${desired.name} answers no ARP request, so nothing reaches it)`,
        ),
        disruptive: false,
      });
    });
}
