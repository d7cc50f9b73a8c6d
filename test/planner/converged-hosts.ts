import { Address4 } from "ip-address";
import type { HostFacts, HostState, ObservedHost, Route } from "../../src/model/index.js";
import { emptyHostState, KERNEL_PROTOCOL, MAIN_TABLE } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import type { Host, Topology } from "../../src/topology/topology.js";

/** Facts of a host that meets every precondition the tests do not look at. */
export const CAPABLE_HOST_FACTS: HostFacts = {
  drivers: {},
  iproute2: "iproute2-6.1.0",
  kernel: "6.1.0",
};

/**
 * A state plus the host's underlay interface, up at MTU 1500 and holding its address, with
 * the connected route the kernel derives from that address (the path to the peers).
 */
function withUnderlay(state: HostState, host: Host): HostState {
  const link = { name: host.interface, kind: "", mtu: 1500, up: true };
  const cidr = `${host.v4?.underlayIp ?? ""}/${host.v4?.underlayPrefix ?? ""}`;
  const address = { dev: host.interface, cidr };
  const connected: Route = {
    dst: new Address4(cidr).networkForm(),
    table: MAIN_TABLE,
    type: "unicast",
    metric: 0,
    dev: host.interface,
    prefsrc: host.v4?.underlayIp ?? "",
    onlink: false,
    scope: "link",
    protocol: KERNEL_PROTOCOL,
  };
  // A dual-stack host holds its IPv6 underlay address too, and the kernel's route for its
  // subnet (metric 256, as `ip -j -6 route` lists it: test/fixtures/converged/dual-stack-*).
  const v6 = host.v6;
  const addresses6 = v6
    ? [{ dev: host.interface, cidr: `${v6.underlayIp}/${v6.underlayPrefix}` }]
    : [];
  const connected6: Route[] = v6
    ? [{ ...connected, dst: v6.underlaySubnet, metric: 256, prefsrc: undefined, scope: "global" }]
    : [];
  return {
    ...state,
    root: {
      ...state.root,
      links: [link, ...state.root.links],
      addresses: [address, ...addresses6, ...state.root.addresses],
      routes: [connected, ...connected6, ...state.root.routes],
    },
  };
}

/**
 * Hosts as a cluster converged to `before` holds them: each host of `hosts` (by default
 * before's) with what `before` compiles to for it, or nothing when `before` does not name it,
 * and, as on any real host, its underlay interface with its address.
 */
export function observeConvergedTo(
  before: Topology,
  hosts: readonly Host[] = before.hosts,
): ObservedHost[] {
  const compiled = compileTopology(before).hosts;
  return hosts.map((host) => ({
    host: host.name,
    state: withUnderlay(
      compiled.find((h) => h.host === host.name)?.state ?? emptyHostState(),
      host,
    ),
    facts: CAPABLE_HOST_FACTS,
  }));
}
