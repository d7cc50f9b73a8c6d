import { describe, expect, test } from "vitest";
import { routed } from "../../src/modes/attach-routed.js";
import { buildHostContext } from "../../src/modes/host-context.js";
import { hostVethName } from "../../src/modes/naming.js";
import { expectedDeviceRoute, expectedGatewayRoute } from "./expected-objects.js";
import { buildTopology } from "./topology-fixture.js";

const topology = buildTopology({
  name: "ipip-demo",
  mode: "ipip",
  attach: "routed",
  hosts: [
    {
      name: "node-a",
      ip: "192.168.100.100",
      podCidr: "10.244.1.0/24",
      workloads: [
        ["web", "10.244.1.2"],
        ["db", "10.244.1.3"],
      ],
    },
  ],
});

const alias = "netplan-k:ipip-demo";
const webVeth = hostVethName("ipip-demo", "web");
const dbVeth = hostVethName("ipip-demo", "db");

const namespace = (name: string, ip: string) => ({
  name,
  owner: "ipip-demo",
  net: {
    links: [
      { name: "lo", kind: "", mtu: 65536, up: true, alias },
      { name: "eth0", kind: "veth", mtu: 1480, up: true },
    ],
    addresses: [{ dev: "eth0", cidr: `${ip}/32` }],
    routes: [expectedGatewayRoute("0.0.0.0/0", "169.254.1.1", "eth0", true)],
    neighbours: [{ dev: "eth0", dst: "169.254.1.1", lladdr: "ee:ee:ee:ee:ee:ee", permanent: true }],
    fdb: [],
  },
});

const hostVeth = (name: string, workload: string) => ({
  name,
  kind: "veth",
  mtu: 1480,
  up: true,
  alias,
  mac: "ee:ee:ee:ee:ee:ee",
  peer: { netns: workload, name: "eth0" },
});

describe("attach routed", () => {
  test("routes a /32 per workload to its veth, with proxy ARP and a fixed gateway neighbour", () => {
    const [host] = topology.hosts;
    if (host === undefined) throw new Error("fixture");
    expect(routed.compileHost(buildHostContext(topology, host, 1480))).toEqual({
      root: {
        links: [hostVeth(webVeth, "web"), hostVeth(dbVeth, "db")],
        routes: [
          expectedDeviceRoute("10.244.1.2/32", webVeth),
          expectedDeviceRoute("10.244.1.3/32", dbVeth),
        ],
      },
      sysctls: [
        { key: `net.ipv4.conf.${webVeth}.proxy_arp`, value: "1" },
        { key: `net.ipv4.conf.${dbVeth}.proxy_arp`, value: "1" },
      ],
      namespaces: [namespace("web", "10.244.1.2"), namespace("db", "10.244.1.3")],
    });
  });

  test("adds nothing on a host without workloads", () => {
    const empty = buildTopology({
      mode: "ipip",
      hosts: [{ name: "node-a", ip: "192.168.100.100", podCidr: "10.244.1.0/24" }],
    });
    const [host] = empty.hosts;
    if (host === undefined) throw new Error("fixture");
    expect(routed.compileHost(buildHostContext(empty, host, 1480))).toEqual({
      root: { links: [], routes: [] },
      sysctls: [],
      namespaces: [],
    });
  });
});
