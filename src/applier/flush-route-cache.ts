import type { Change } from "../planner/plan.js";
import type { CommandGroup } from "./change-commands.js";

/**
 * After an MTU change, the kernel's cached path-MTU exceptions (`ip route show cache`: `cache
 * expires 599sec mtu 1000`) still hold the old, smaller MTU toward the peers they were learnt
 * for, for up to net.ipv4.route.mtu_expires (600 s). Measured on a vxlan lab: flannel.1 lowered
 * to 1000 and a don't-fragment ping from workload red to blue left `mtu 1000` in red's cache;
 * apply set flannel.1 back to 1450, the next plan was empty, and red's don't-fragment pings of
 * 1300 bytes still failed ("message too long, mtu=1000") until `ip -n red route flush cache`.
 *
 * IPv6 keeps its exceptions apart: measured on three namespaces here (a router between links
 * of MTU 1500 and 1280, a don't-fragment ping -6 of 1400 bytes), `ip route flush cache` left
 * `expires 598sec mtu 1280` in `ip -6 route show cache`; `ip -6 route flush cache` removed it
 * (and exits 0 with IPv6 disabled). So both families are flushed.
 *
 * So a host's changes that set any link's MTU end with one shell line that flushes the cache
 * of the host's own namespace and of every namespace of /run/netns (the workloads: a host
 * answers a workload's oversized packet with "fragmentation needed", and the workload keeps
 * the exception). A namespace that cannot be entered (an entry that is not one) is passed
 * over. Nothing else is flushed: the cache holds only what the kernel learns by itself.
 * Undefined when no change sets an MTU.
 */
export function flushRouteCacheAfterMtu(changes: readonly Change[]): CommandGroup | undefined {
  const setsMtu = changes.some(
    (change) =>
      change.kind === "link" &&
      change.after !== undefined &&
      "mtu" in change.after &&
      change.before !== undefined &&
      "mtu" in change.before &&
      change.after.mtu !== change.before.mtu,
  );
  if (!setsMtu) return undefined;
  return {
    executor: "sh",
    lines: [
      "ip route flush cache && ip -6 route flush cache && for nk_ns in /run/netns/*; do " +
        '[ -e "$nk_ns" ] || continue; ip -n "${nk_ns##*/}" route flush cache 2>/dev/null || :; ' +
        'ip -n "${nk_ns##*/}" -6 route flush cache 2>/dev/null || :; done',
    ],
  };
}
