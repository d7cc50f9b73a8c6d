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
  // The loader refuses IPv6-only clusters so far: the requirement's main address is IPv4.
  if (host.v4 === undefined) throw new Error(`host ${host.name} has no IPv4 underlay address`);
  const kinds = [state.root, ...state.namespaces.map((namespace) => namespace.net)].flatMap((net) =>
    net.links.map((link) => link.kind),
  );
  return {
    underlay: {
      interface: host.interface,
      address: host.v4.underlayIp,
      prefix: host.v4.underlayPrefix,
      mtu: overlayMtu + overhead,
      overlayMtu,
      overhead,
      mode: topology.cluster.mode,
      ...(host.v6 !== undefined && {
        v6: { address: host.v6.underlayIp, prefix: host.v6.underlayPrefix },
      }),
    },
    drivers: KERNEL_DRIVERS.filter((driver) => kinds.includes(driver)),
    iproute2: MINIMUM_IPROUTE2,
    bird: state.services.some((service) => service.name === "bird"),
  };
}
