import { describe, expect, test } from "vitest";
import { bgp } from "../../src/modes/bgp.js";
import { renderBirdConfig } from "../../src/modes/bird-config.js";
import { buildHostContext } from "../../src/modes/host-context.js";
import { buildHosts, buildTopology, withIpv6 } from "./topology-fixture.js";

describe("bgp", () => {
  test("originates the block as a blackhole and hands the rest to BIRD", () => {
    const topology = buildTopology({ mode: "bgp", hosts: buildHosts(3) });
    const [host] = topology.hosts;
    if (host === undefined) throw new Error("fixture");
    expect(bgp.compileHost(buildHostContext(topology, host, 1500))).toEqual({
      root: {
        routes: [
          {
            dst: "10.244.1.0/24",
            table: 254,
            type: "blackhole",
            metric: 1024,
            onlink: false,
            scope: "global",
            protocol: 77,
          },
        ],
      },
      files: [{ path: "/etc/bird/bird.conf", content: renderBirdConfig(topology, host) }],
      // Every protocol of the file wanted up, by the name the file gives it, each session
      // Established: one disabled at runtime is a change (birdc enable).
      services: [
        {
          name: "bird",
          running: true,
          configPath: "/etc/bird/bird.conf",
          protocols: [
            {
              name: "device1",
              proto: "Device",
              state: "up",
              info: "",
              purpose: "tells BIRD the host's interfaces",
            },
            {
              name: "direct1",
              proto: "Direct",
              state: "up",
              info: "",
              purpose: "reads the addresses of eth0, the sessions' next hops",
            },
            {
              name: "kernel1",
              proto: "Kernel",
              state: "up",
              info: "",
              purpose: "installs the IPv4 blocks learned over BGP in the kernel",
            },
            {
              name: "static1",
              proto: "Static",
              state: "up",
              info: "",
              purpose: "announces this host's block 10.244.1.0/24",
            },
            { name: "peer_node_2", proto: "BGP", state: "up", info: "Established" },
            { name: "peer_node_3", proto: "BGP", state: "up", info: "Established" },
          ],
        },
      ],
    });
  });

  test("dual-stack: the IPv6 block is a blackhole too, and BIRD installs every peer's IPv6 block", () => {
    const topology = withIpv6(buildTopology({ mode: "bgp", hosts: buildHosts(3) }));
    const [host] = topology.hosts;
    if (host === undefined) throw new Error("fixture");
    const context = buildHostContext(topology, host, 1500);
    expect(
      bgp
        .compileHost(context)
        .root?.routes?.map((r) => `${r.type} ${r.dst} ${r.dev ?? "-"} ${r.metric}`),
    ).toEqual(["blackhole 10.244.1.0/24 - 1024", "blackhole fd00:10:244:1::/64 lo 1024"]);
    expect(
      bgp
        .learnedRoutes?.(context)
        .map((r) => `${r.dst} via ${r.via} dev ${r.dev} metric ${r.metric}`),
    ).toEqual([
      "10.244.2.0/24 via 192.168.64.12 dev eth0 metric 32",
      "10.244.3.0/24 via 192.168.64.13 dev eth0 metric 32",
      "fd00:10:244:2::/64 via 2001:db8:64::12 dev eth0 metric 32",
      "fd00:10:244:3::/64 via 2001:db8:64::13 dev eth0 metric 32",
    ]);
    expect(bgp.waitFor?.(context).bgp?.sessions).toBe(4);
    expect(bgp.checks?.(context).bgpSessions?.map((s) => `${s.protocol} ${s.address}`)).toEqual([
      "peer6_node_2 2001:db8:64::12",
      "peer6_node_3 2001:db8:64::13",
      "peer_node_2 192.168.64.12",
      "peer_node_3 192.168.64.13",
    ]);
  });

  test("has no encapsulation overhead", () => {
    expect(bgp.overhead).toBe(0);
  });
});
