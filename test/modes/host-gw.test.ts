import { describe, expect, test } from "vitest";
import { MINIMUM_IPROUTE2 } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import { buildHostContext } from "../../src/modes/host-context.js";
import { hostGw } from "../../src/modes/host-gw.js";
import { hostVethName } from "../../src/modes/naming.js";
import { buildTopology } from "./topology-fixture.js";
import { expectedDeviceRoute, expectedGatewayRoute } from "./expected-objects.js";

/** examples/host-gw.yaml */
const topology = buildTopology({
  name: "hostgw-demo",
  mode: "host-gw",
  attach: "routed",
  cidr: "172.17.0.0/16",
  hosts: [
    {
      name: "node-1",
      ip: "192.168.64.5",
      podCidr: "172.17.8.0/24",
      workloads: [["red", "172.17.8.2"]],
    },
    {
      name: "node-2",
      ip: "192.168.64.6",
      podCidr: "172.17.9.0/24",
      workloads: [["blue", "172.17.9.2"]],
    },
    { name: "node-3", ip: "192.168.64.7", podCidr: "172.17.10.0/24", interface: "ens4" },
  ],
});

describe("host-gw", () => {
  test("routes every peer's block via the peer's underlay address on the host's interface", () => {
    const [, , node3] = topology.hosts;
    if (node3 === undefined) throw new Error("fixture");
    expect(hostGw.compileHost(buildHostContext(topology, node3, 1500))).toEqual({
      root: {
        routes: [
          expectedGatewayRoute("172.17.8.0/24", "192.168.64.5", "ens4", false),
          expectedGatewayRoute("172.17.9.0/24", "192.168.64.6", "ens4", false),
        ],
      },
    });
  });

  test("has no encapsulation overhead", () => {
    expect(hostGw.overhead).toBe(0);
  });

  test("compiles the example's first host exactly", () => {
    const desired = compileTopology(topology);
    const veth = hostVethName("hostgw-demo", "red");
    expect(desired.hosts[0]).toEqual({
      host: "node-1",
      state: {
        root: {
          links: [
            {
              name: veth,
              kind: "veth",
              mtu: 1500,
              up: true,
              alias: "netplan-k:hostgw-demo",
              mac: "ee:ee:ee:ee:ee:ee",
              peer: { netns: "red", name: "eth0" },
            },
          ],
          addresses: [],
          routes: [
            expectedGatewayRoute("172.17.10.0/24", "192.168.64.7", "eth0", false),
            expectedDeviceRoute("172.17.8.2/32", veth),
            expectedGatewayRoute("172.17.9.0/24", "192.168.64.6", "eth0", false),
          ],
          neighbours: [],
          fdb: [],
        },
        namespaces: [
          {
            name: "red",
            owner: "hostgw-demo",
            net: {
              links: [
                { name: "eth0", kind: "veth", mtu: 1500, up: true },
                { name: "lo", kind: "", mtu: 65536, up: true, alias: "netplan-k:hostgw-demo" },
              ],
              addresses: [{ dev: "eth0", cidr: "172.17.8.2/32" }],
              routes: [expectedGatewayRoute("0.0.0.0/0", "169.254.1.1", "eth0", true)],
              neighbours: [
                { dev: "eth0", dst: "169.254.1.1", lladdr: "ee:ee:ee:ee:ee:ee", permanent: true },
              ],
              fdb: [],
            },
          },
        ],
        sysctls: [
          { key: `net.ipv4.conf.${veth}.proxy_arp`, value: "1" },
          { key: "net.ipv4.ip_forward", value: "1" },
        ],
        files: [],
        services: [],
      },
      requirements: {
        underlay: {
          interface: "eth0",
          address: "192.168.64.5",
          prefix: 24,
          mtu: 1500,
          overlayMtu: 1500,
          overhead: 0,
          mode: "host-gw",
        },
        drivers: ["veth"],
        iproute2: MINIMUM_IPROUTE2,
        bird: false,
      },
      // host-gw writes every route itself: no routing daemon installs any.
      learned: [],
    });
  });
});
