import { describe, expect, test } from "vitest";
import { buildHostContext } from "../../src/modes/host-context.js";
import { vtepMac } from "../../src/modes/naming.js";
import { vxlan } from "../../src/modes/vxlan.js";
import type { Topology } from "../../src/topology/topology.js";
import { expectedGatewayRoute } from "./expected-objects.js";
import { buildTopology } from "./topology-fixture.js";

const compileHost = (topology: Topology, index: number) => {
  const host = topology.hosts[index];
  if (host === undefined) throw new Error(`fixture has no host ${index}`);
  return vxlan.compileHost(buildHostContext(topology, host, topology.cluster.mtu - 50));
};

/** node-1 and node-2 share 192.168.64.0/24; node-3 is on 192.168.65.0/24. */
const twoSubnets = (directRouting: boolean): Topology =>
  buildTopology({
    name: "vxlan-demo",
    mode: "vxlan",
    attach: "bridge",
    cidr: "10.1.0.0/16",
    vxlan: { vni: 7, port: 4789, directRouting },
    hosts: [
      { name: "node-1", ip: "192.168.64.5", podCidr: "10.1.15.0/24" },
      { name: "node-2", ip: "192.168.64.6", podCidr: "10.1.16.0/24" },
      { name: "node-3", ip: "192.168.65.7", podCidr: "10.1.17.0/24" },
    ],
  });

describe("vxlan", () => {
  test("subtracts 50 bytes of encapsulation", () => {
    expect(vxlan.overhead).toBe(50);
  });

  test("creates the VTEP and, per peer, a route, a neighbour and an fdb entry", () => {
    const topology = buildTopology({
      name: "vxlan-demo",
      mode: "vxlan",
      cidr: "10.1.0.0/16",
      hosts: [
        { name: "node-1", ip: "192.168.64.5", podCidr: "10.1.15.0/24", interface: "ens3" },
        { name: "node-2", ip: "192.168.64.6", podCidr: "10.1.16.0/24" },
      ],
    });
    const peerMac = vtepMac("vxlan-demo", "node-2");
    expect(compileHost(topology, 0)).toEqual({
      root: {
        links: [
          {
            name: "flannel.1",
            kind: "vxlan",
            mtu: 1450,
            up: true,
            mac: vtepMac("vxlan-demo", "node-1"),
            alias: "netplan-k:vxlan-demo",
            vxlan: { id: 1, local: "192.168.64.5", dev: "ens3", port: 8472, learning: false },
          },
        ],
        addresses: [{ dev: "flannel.1", cidr: "10.1.15.0/32" }],
        routes: [expectedGatewayRoute("10.1.16.0/24", "10.1.16.0", "flannel.1", true)],
        neighbours: [{ dev: "flannel.1", dst: "10.1.16.0", lladdr: peerMac, permanent: true }],
        fdb: [{ dev: "flannel.1", mac: peerMac, dst: "192.168.64.6" }],
      },
    });
  });

  test("without directRouting every peer goes through the VTEP, whatever its segment", () => {
    const root = compileHost(twoSubnets(false), 0).root;
    expect(root?.routes).toEqual([
      expectedGatewayRoute("10.1.16.0/24", "10.1.16.0", "flannel.7", true),
      expectedGatewayRoute("10.1.17.0/24", "10.1.17.0", "flannel.7", true),
    ]);
    expect(root?.fdb).toEqual([
      { dev: "flannel.7", mac: vtepMac("vxlan-demo", "node-2"), dst: "192.168.64.6" },
      { dev: "flannel.7", mac: vtepMac("vxlan-demo", "node-3"), dst: "192.168.65.7" },
    ]);
    expect(root?.links?.[0]?.vxlan).toEqual({
      id: 7,
      local: "192.168.64.5",
      dev: "eth0",
      port: 4789,
      learning: false,
    });
  });

  test("directRouting: a same-segment peer gets the host-gw route and no neighbour or fdb entry", () => {
    const root = compileHost(twoSubnets(true), 0).root;
    expect(root?.routes).toEqual([
      expectedGatewayRoute("10.1.16.0/24", "192.168.64.6", "eth0", false),
      expectedGatewayRoute("10.1.17.0/24", "10.1.17.0", "flannel.7", true),
    ]);
    expect(root?.neighbours).toEqual([
      {
        dev: "flannel.7",
        dst: "10.1.17.0",
        lladdr: vtepMac("vxlan-demo", "node-3"),
        permanent: true,
      },
    ]);
    expect(root?.fdb).toEqual([
      { dev: "flannel.7", mac: vtepMac("vxlan-demo", "node-3"), dst: "192.168.65.7" },
    ]);
  });

  test("directRouting: the host alone on its segment tunnels to everyone", () => {
    const root = compileHost(twoSubnets(true), 2).root;
    expect(root?.routes).toEqual([
      expectedGatewayRoute("10.1.15.0/24", "10.1.15.0", "flannel.7", true),
      expectedGatewayRoute("10.1.16.0/24", "10.1.16.0", "flannel.7", true),
    ]);
    expect(root?.fdb?.map((entry) => entry.dst)).toEqual(["192.168.64.5", "192.168.64.6"]);
  });
});
