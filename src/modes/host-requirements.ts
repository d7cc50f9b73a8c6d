import {
  KERNEL_DRIVERS,
  MINIMUM_IPROUTE2,
  type HostRequirements,
  type HostState,
} from "../model/index.js";
import type { HostContext } from "./host-context.js";

/**
 * What one host must offer before netplan-k changes it, read from the host's compiled
 * desired state rather than guessed from the mode: a driver for every kind of link the state
 * holds (bridge, veth, vxlan, ipip; the workloads' veths included), BIRD when the state runs
 * it, and an underlay that carries the overlay: the declared interface, up, holding the
 * declared address, with an MTU of at least the overlay MTU plus the mode's overhead.
 */
export function compileHostRequirements(
  context: HostContext,
  state: HostState,
  overhead: number,
): HostRequirements {
  const { host, topology, overlayMtu } = context;
  // The first family's underlay (IPv4, or IPv6 in an IPv6-only cluster), then a dual-stack
  // host's IPv6 one.
  const first = host.v4 ?? host.v6;
  if (first === undefined) throw new Error(`host ${host.name} has no underlay address`);
  const second = host.v4 === undefined ? undefined : host.v6;
  const kinds = [state.root, ...state.namespaces.map((namespace) => namespace.net)].flatMap((net) =>
    net.links.map((link) => link.kind),
  );
  return {
    underlay: {
      interface: host.interface,
      address: first.underlayIp,
      prefix: first.underlayPrefix,
      mtu: overlayMtu + overhead,
      overlayMtu,
      overhead,
      mode: topology.cluster.mode,
      ...(second !== undefined && {
        v6: { address: second.underlayIp, prefix: second.underlayPrefix },
      }),
    },
    drivers: KERNEL_DRIVERS.filter((driver) => kinds.includes(driver)),
    iproute2: MINIMUM_IPROUTE2,
    bird: state.services.some((service) => service.name === "bird"),
  };
}
