import { describe, expect, test } from "vitest";
import { bridge } from "../../src/modes/attach-bridge.js";
import { buildHostContext } from "../../src/modes/host-context.js";
import { hostVethName } from "../../src/modes/naming.js";
import { expectedGatewayRoute } from "./expected-objects.js";
import { buildTopology } from "./topology-fixture.js";

const topology = buildTopology({
  name: "vxlan-demo",
  mode: "vxlan",
  attach: "bridge",
  cidr: "10.1.0.0/16",
  hosts: [
    {
      name: "node-1",
      ip: "192.168.64.5",
      podCidr: "10.1.15.0/24",
      workloads: [
        ["red", "10.1.15.2"],
        ["blue", "10.1.15.3"],
      ],
    },
    { name: "node-2", ip: "192.168.64.6", podCidr: "10.1.16.0/26" },
  ],
});

const alias = "netplan-k:vxlan-demo";

const namespace = (name: string, ip: string) => ({
  name,
  owner: "vxlan-demo",
  net: {
    links: [
      { name: "lo", kind: "", mtu: 65536, up: true, alias },
      { name: "eth0", kind: "veth", mtu: 1450, up: true },
    ],
    addresses: [{ dev: "eth0", cidr: `${ip}/24` }],
    routes: [expectedGatewayRoute("0.0.0.0/0", "10.1.15.1", "eth0", false)],
    neighbours: [],
    fdb: [],
  },
});

const hostVeth = (workload: string) => ({
  name: hostVethName("vxlan-demo", workload),
  kind: "veth",
  mtu: 1450,
  up: true,
  alias,
  master: "cni0",
  peer: { netns: workload, name: "eth0" },
});

describe("attach bridge", () => {
  test("puts cni0 on the block's first address and every workload behind it", () => {
    const [host] = topology.hosts;
    if (host === undefined) throw new Error("fixture");
    expect(bridge.compileHost(buildHostContext(topology, host, 1450))).toEqual({
      root: {
        links: [
          { name: "cni0", kind: "bridge", mtu: 1450, up: true, alias },
          hostVeth("red"),
          hostVeth("blue"),
        ],
        addresses: [{ dev: "cni0", cidr: "10.1.15.1/24" }],
      },
      namespaces: [namespace("red", "10.1.15.2"), namespace("blue", "10.1.15.3")],
    });
  });

  test("creates cni0 on a host without workloads, with the block's own prefix", () => {
    const [, host] = topology.hosts;
    if (host === undefined) throw new Error("fixture");
    expect(bridge.compileHost(buildHostContext(topology, host, 1500))).toEqual({
      root: {
        links: [{ name: "cni0", kind: "bridge", mtu: 1500, up: true, alias }],
        addresses: [{ dev: "cni0", cidr: "10.1.16.1/26" }],
      },
      namespaces: [],
    });
  });
});
