import type { HostState, NamespaceState, PathMtuException } from "../model/index.js";
import { pathMtuExceptionKey } from "../model/index.js";
import { formatReason, labelObject } from "./describe-object.js";
import { makeChange } from "./make-change.js";
import type { Change } from "./plan.js";

/**
 * Stale path-MTU exceptions in one owned workload namespace, as updates that flush them.
 *
 * Why: a hop that was too small for a while (a host's flannel.1, cni0 or underlay lowered by
 * hand, then put back by hand or by apply) answered the workload's don't-fragment packets
 * with "fragmentation needed" / "packet too big", and the workload's kernel keeps the smaller
 * MTU toward that destination for up to 600 s (net.ipv4.route.mtu_expires,
 * net.ipv6.route.mtu_expires) whatever the path holds now. Measured here (three namespaces,
 * scripts/record-route-cache-fixtures.sh, and a dual-stack vxlan lab whose flannel.1 and
 * flannel-v6.1 were lowered to 1400 and put back): full-size DF pings of both families from
 * the workload kept failing ("message too long, mtu=1400") while every object matched.
 * When apply itself repairs an MTU it flushes the cache already
 * (applier/flush-route-cache.ts); this finds the exceptions someone else left.
 *
 * What is stale: an exception whose MTU is below the desired MTU of the device it leaves
 * through in the workload (its eth0: the overlay's MTU, the smaller of both families' in a
 * dual-stack cluster, model/overlay-mtu.ts), so the path netplan-k builds carries more than
 * the kernel now sends. An exception at or above that MTU takes nothing and is left alone.
 *
 * What is not judged, so that netplan-k does not fight a smaller MTU that is real: every hop
 * of a netplan-k path inside the hosts is a device of a host of the topology, observed and
 * planned itself (a lowered owned device is repaired in the same apply, which flushes, and
 * an underlay below the needed MTU fails the host's preconditions). A hop past the host, on
 * the underlay between segments, that is really smaller answers the host's own
 * encapsulated packets, so the host's own namespace then holds an exception toward a peer's
 * underlay address (a gateway of a desired route or the destination of a desired fdb entry),
 * and the tunnel passes the smaller MTU on to the workloads. The kernel learns that again on
 * the next full-size packet; flushing it would make every plan show it again (reasoned from
 * how a tunnel passes a path MTU on, not measured: this kernel has no ipip). So while the
 * host's own namespace holds such an exception below the desired MTU of the device it leaves
 * through, no workload exception of that host is judged (verify's full-size probes still show
 * the real limit). The host's exceptions through its underlay are never flushed: the
 * underlay is not netplan-k's (those through its own devices are judged by
 * staleHostPathMtuChanges). A workload exception of a host that holds one is thus left to
 * expire. An IPv4
 * exception nothing used since it was learnt is not listed yet (observe/parse-ip-route-cache.ts),
 * so it is planned once the next full-size packet (or verify's probe) has failed on it.
 *
 * Takes the namespace desired and observed (absent pathMtuExceptions: not observed, nothing
 * judged) and the host's desired and observed state; gives one update per stale exception,
 * whose `after` is the exception at the desired MTU (what the path carries once the kernel
 * forgets it). Pure.
 */
export function stalePathMtuChanges(
  desired: NamespaceState,
  observed: NamespaceState,
  host: { readonly desired: HostState; readonly observed: HostState },
): Change[] {
  const exceptions = observed.net.pathMtuExceptions ?? [];
  if (exceptions.length === 0 || holdsUnderlayLimit(host.desired, host.observed)) return [];
  const desiredMtu = new Map(desired.net.links.map((link) => [link.name, link.mtu]));
  return exceptions.flatMap((exception) => {
    const mtu = exception.dev === undefined ? undefined : desiredMtu.get(exception.dev);
    if (mtu === undefined || exception.mtu >= mtu) return [];
    return [staleChange(desired.name, exception, mtu)];
  });
}

/**
 * Stale path-MTU exceptions in the host's own namespace, as updates that flush its cache.
 *
 * Why: a netplan-k device lowered for a while on a path the host's own packets take (a peer's
 * cni0 lowered by hand: measured on a dual-stack vxlan lab, node-1's DF ping -6 to a workload
 * of node-2 was answered "packet too big: mtu=1380") leaves node-1 an exception toward the
 * workload's address through its VTEP (`via fd00:10:6:2:: dev flannel-v6.1 ... mtu 1380`)
 * after the device is put back. IPv6 forwarding uses it: red's full-size DF pings to that
 * workload were answered by node-1 itself ("From fd00:10:6:1::1 Packet too big: mtu=1380")
 * and verify failed while every object matched. IPv4 forwarding ignores learnt MTUs, but the
 * host's own IPv4 packets (probes, a node port) still honour one, so both families are judged.
 *
 * What is stale: an exception leaving through a device of the desired root state (a VTEP,
 * cni0, a workload's host-side veth: netplan-k's own; never the underlay interface, which
 * is not netplan-k's, nor a foreign device) whose MTU is below what a path through that
 * device carries: the device's desired MTU, but no more than the smallest desired MTU of the
 * host's own devices (cni0 and the veths, at the workloads' MTU), which the peers' devices at
 * the far end hold too. Measured: in a dual-stack cluster flannel.1 is at 1450 and cni0 at
 * 1430, so the host's own 1450-byte IPv4 DF ping to a remote workload is refused by the
 * peer's cni0 and teaches a real mtu 1430 through flannel.1; that one is left alone.
 * Exceptions toward a peer's underlay address are the mark of a really smaller hop past the
 * host and are never judged; while one is held, the host's overlay exceptions are not
 * judged either: a tunnel passes the smaller hop on to the packets it carries, so they may
 * be real (the same rule as for workloads, stalePathMtuChanges).
 *
 * Takes the host's desired and observed state and its underlay interface (undefined when not
 * known: then only a desired link's name marks a device as netplan-k's); gives one update
 * per stale exception in the host's namespace (netns undefined). Pure.
 */
export function staleHostPathMtuChanges(
  desired: HostState,
  observed: HostState,
  underlayInterface: string | undefined,
): Change[] {
  const exceptions = observed.root.pathMtuExceptions ?? [];
  if (exceptions.length === 0 || holdsUnderlayLimit(desired, observed)) return [];
  const owned = desired.root.links.filter((link) => link.name !== underlayInterface);
  const desiredMtu = new Map(owned.map((link) => [link.name, link.mtu]));
  const smallest = Math.min(...owned.map((link) => link.mtu));
  return exceptions.flatMap((exception) => {
    const deviceMtu = exception.dev === undefined ? undefined : desiredMtu.get(exception.dev);
    if (deviceMtu === undefined) return [];
    const pathMtu = Math.min(deviceMtu, smallest);
    if (exception.mtu >= pathMtu) return [];
    const below =
      pathMtu === deviceMtu
        ? `${exception.dev}'s ${pathMtu}`
        : `${pathMtu}, the smallest MTU of this host's devices (${exception.dev} is at ${deviceMtu})`;
    return [staleChange(undefined, exception, pathMtu, below)];
  });
}

/**
 * Whether the host's own namespace holds an exception toward a peer's underlay address
 * below the desired (else observed) MTU of the device it leaves through: the mark of a
 * really smaller hop past the host.
 */
function holdsUnderlayLimit(desired: HostState, observed: HostState): boolean {
  const peers = new Set<string>([
    ...desired.root.routes.flatMap((route) => (route.via === undefined ? [] : [route.via])),
    ...desired.root.fdb.map((entry) => entry.dst),
  ]);
  const mtuOf = (dev: string): number | undefined =>
    (
      desired.root.links.find((link) => link.name === dev) ??
      observed.root.links.find((link) => link.name === dev)
    )?.mtu;
  return (observed.root.pathMtuExceptions ?? []).some((exception) => {
    if (!peers.has(exception.dst) || exception.dev === undefined) return false;
    const mtu = mtuOf(exception.dev);
    return mtu !== undefined && exception.mtu < mtu;
  });
}

function staleChange(
  netns: string | undefined,
  exception: PathMtuException,
  desiredMtu: number,
  below = `${exception.dev ?? "its device"}'s ${desiredMtu}`,
): Change {
  return makeChange({
    kind: "pathMtu",
    action: "update",
    netns,
    key: pathMtuExceptionKey(exception),
    before: exception,
    after: { ...exception, mtu: desiredMtu },
    reason: formatReason(
      labelObject("pathMtu", exception),
      `mtu ${exception.mtu} below ${below}: stale; flush`,
    ),
    disruptive: false,
  });
}
