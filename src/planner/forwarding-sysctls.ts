import type { HostState, Sysctl } from "../model/index.js";

const IP_FORWARD = "net.ipv4.ip_forward";

/** The per-interface forwarding switch of `dev` (interface names may hold dots: flannel.1). */
const forwardingKey = (dev: string): string => `net.ipv4.conf.${dev}.forwarding`;

/**
 * The per-interface forwarding sysctls the cluster needs besides `net.ipv4.ip_forward`: the
 * kernel forwards an IPv4 packet only when the device it came in on has
 * `net.ipv4.conf.<dev>.forwarding = 1` (ip_route_input_slow checks IN_DEV_FORWARD of the input
 * device, net/ipv4/route.c). Writing 1 to ip_forward sets every existing device's switch and
 * the default for new ones, but a device set to 0 afterwards (`sysctl -w
 * net.ipv4.conf.flannel/1.forwarding=0`) silently drops whatever enters through it.
 *
 * Cluster traffic enters through the underlay interface (from peers) and through every link
 * of the root namespace the desired state holds (cni0 and the workloads' veths from the
 * workloads, flannel.1 or tunl0 from the tunnel). So, when the desired state wants
 * ip_forward = 1, each of those devices must forward too. Only devices whose switch was
 * observed are listed, and only on a host whose ip_forward is already 1: setting ip_forward
 * sets every existing device's switch (inet_forward_change, net/ipv4/devinet.c), and a device
 * still to be created inherits the default it sets, so a fresh host's plan does not grow by a
 * line per device. Pure.
 */
export function neededForwardingSysctls(
  desired: HostState,
  observed: readonly Sysctl[],
  underlayInterface: string | undefined,
): Sysctl[] {
  const forwards = desired.sysctls.some((s) => s.key === IP_FORWARD && s.value === "1");
  // A host whose ip_forward is not 1 yet gets it set, which sets every device's switch too.
  const forwardingAlready = observed.some((s) => s.key === IP_FORWARD && s.value === "1");
  if (!forwards || !forwardingAlready) return [];
  const observedKeys = new Set(observed.map((sysctl) => sysctl.key));
  const wanted = new Set(desired.sysctls.map((sysctl) => sysctl.key));
  const devices = [
    ...(underlayInterface === undefined ? [] : [underlayInterface]),
    ...desired.root.links.map((link) => link.name),
  ];
  return [...new Set(devices)]
    .map(forwardingKey)
    .filter((key) => observedKeys.has(key) && !wanted.has(key))
    .map((key) => ({ key, value: "1" }));
}
