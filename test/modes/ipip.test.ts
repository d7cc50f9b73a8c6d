import { describe, expect, test } from "vitest";
import { buildHostContext } from "../../src/modes/host-context.js";
import { ipip } from "../../src/modes/ipip.js";
import type { Topology } from "../../src/topology/topology.js";
import { expectedGatewayRoute } from "./expected-objects.js";
import { buildTopology } from "./topology-fixture.js";

const compileHost = (topology: Topology, index: number) => {
  const host = topology.hosts[index];
  if (host === undefined) throw new Error(`fixture has no host ${index}`);
  return ipip.compileHost(buildHostContext(topology, host, topology.cluster.mtu - 20));
};

/** node-a and node-c share 192.168.100.0/24; node-b is on 192.168.200.0/24. */
const twoSubnets = (crossSubnet: boolean): Topology =>
  buildTopology({
    name: "ipip-demo",
    mode: "ipip",
    ipip: { crossSubnet },
    hosts: [
      { name: "node-a", ip: "192.168.100.100", podCidr: "10.244.1.0/24" },
      { name: "node-b", ip: "192.168.200.101", podCidr: "10.244.2.0/24" },
      { name: "node-c", ip: "192.168.100.102", podCidr: "10.244.3.0/24", interface: "ens5" },
    ],
  });

describe("ipip", () => {
  test("subtracts 20 bytes for the outer IPv4 header", () => {
    expect(ipip.overhead).toBe(20);
  });

  test("adopts tunl0 and routes every peer's block through it onlink", () => {
    expect(compileHost(twoSubnets(false), 0)).toEqual({
      root: {
        links: [{ name: "tunl0", kind: "ipip", mtu: 1480, up: true, alias: "netplan-k:ipip-demo" }],
        addresses: [{ dev: "tunl0", cidr: "10.244.1.0/32" }],
        routes: [
          expectedGatewayRoute("10.244.2.0/24", "192.168.200.101", "tunl0", true),
          expectedGatewayRoute("10.244.3.0/24", "192.168.100.102", "tunl0", true),
        ],
      },
    });
  });

  test("crossSubnet: a same-segment peer gets the host-gw route, the others the tunnel", () => {
    expect(compileHost(twoSubnets(true), 2).root?.routes).toEqual([
      expectedGatewayRoute("10.244.1.0/24", "192.168.100.100", "ens5", false),
      expectedGatewayRoute("10.244.2.0/24", "192.168.200.101", "tunl0", true),
    ]);
    expect(compileHost(twoSubnets(true), 1).root?.routes).toEqual([
      expectedGatewayRoute("10.244.1.0/24", "192.168.100.100", "tunl0", true),
      expectedGatewayRoute("10.244.3.0/24", "192.168.100.102", "tunl0", true),
    ]);
  });
});
