import { describe, expect, it } from "vitest";
import {
  buildTopologyGraph,
  describePairEdge,
  GraphError,
  PAIR_EDGE_HOST_LIMIT,
  type PairEdge,
  type TopologyGraph,
} from "../../src/graph/index.js";
import type { DesiredState } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import type { Topology } from "../../src/topology/topology.js";
import { bigTopology } from "./big-topology.js";
import { exampleGraph, loadExample } from "./example-graph.js";

/** "a-1 b-1 vxlan" per pair edge: who reaches whom, and how. */
const pairPaths = (graph: TopologyGraph): string[] =>
  graph.edges
    .filter((e): e is PairEdge => e.kind === "pair")
    .map((e) => `${e.a} ${e.b} ${describePairEdge(e)}`);

const graphOf = (topology: Topology): TopologyGraph =>
  buildTopologyGraph(topology, compileTopology(topology));

describe("buildTopologyGraph: the path of every host pair, from the compiled state", () => {
  it("host-gw: direct routes", async () => {
    expect(pairPaths(await exampleGraph("host-gw"))).toEqual(["node-1 node-2 direct"]);
  });

  it("vxlan: every pair through the VTEP; with directRouting, same segment direct", async () => {
    expect(pairPaths(await exampleGraph("vxlan"))).toEqual([
      "node-1 node-2 vxlan",
      "node-1 node-3 vxlan",
      "node-2 node-3 vxlan",
    ]);
    expect(pairPaths(await exampleGraph("lab-vxlan-direct"))).toEqual([
      "a-1 a-2 direct",
      "a-1 b-1 vxlan",
      "a-2 b-1 vxlan",
    ]);
  });

  it("ipip with crossSubnet: same segment direct, across the router through tunl0", async () => {
    expect(pairPaths(await exampleGraph("lab-ipip"))).toEqual([
      "a-1 a-2 direct",
      "a-1 b-1 ipip",
      "a-2 b-1 ipip",
    ]);
    const topology = await loadExample("lab-ipip");
    const everyPairTunnelled = graphOf({
      ...topology,
      cluster: { ...topology.cluster, ipip: { crossSubnet: false } },
    });
    expect(pairPaths(everyPairTunnelled)).toEqual(["a-1 a-2 ipip", "a-1 b-1 ipip", "a-2 b-1 ipip"]);
  });

  it("bgp: learned from the peer in a mesh, through the reflectors between two clients", async () => {
    expect(pairPaths(await exampleGraph("lab-bgp"))).toEqual([
      "rr-1 rr-2 bgp",
      "rr-1 node-1 bgp",
      "rr-1 node-2 bgp",
      "rr-2 node-1 bgp",
      "rr-2 node-2 bgp",
      "node-1 node-2 bgp via rr-1, rr-2",
    ]);
    const topology = await loadExample("lab-bgp");
    const mesh = graphOf({
      ...topology,
      cluster: { ...topology.cluster, bgp: { ...topology.cluster.bgp, reflectors: [] } },
    });
    expect(new Set(pairPaths(mesh).map((p) => p.split(" ").slice(2).join(" ")))).toEqual(
      new Set(["bgp"]),
    );
  });

  it("bgp, dual-stack: a client pair learns through each reflector once, though it holds a session per family", async () => {
    const topology = await loadExample("lab-bgp");
    const dualStack: Topology = {
      ...topology,
      cluster: { ...topology.cluster, v6: { cidr: "fd00:10:3::/56", hostPrefix: 64 } },
      hosts: topology.hosts.map((host, index) => ({
        ...host,
        v6: {
          underlayIp: `2001:db8::${31 + index}`,
          underlaySubnet: "2001:db8::/64",
          underlayPrefix: 64,
          podCidr: `fd00:10:3:${index + 1}::/64`,
          podCidrAllocated: false,
        },
      })),
    };
    expect(pairPaths(graphOf(dualStack))).toEqual(pairPaths(graphOf(topology)));
  });

  it("a router's IPv6 legs (dual-stack lab) are listed, and name no segment", async () => {
    const topology = await loadExample("lab-vxlan-direct");
    const lab = topology.lab;
    if (lab === undefined) throw new Error("lab-vxlan-direct has a lab");
    const withIpv6Legs: Topology = {
      ...topology,
      lab: {
        ...lab,
        routers: lab.routers.map((r) => ({ ...r, legs: [...r.legs, "2001:db8:1::1/64"] })),
      },
    };
    const [router] = graphOf(withIpv6Legs).routers;
    expect(router?.legs.at(-1)).toEqual({ address: "2001:db8:1::1/64", subnet: "2001:db8:1::/64" });
    expect(router?.legs.slice(0, -1)).toEqual(graphOf(topology).routers[0]?.legs);
  });

  it("reads the compiled state, not the mode settings: a state without the route is refused", async () => {
    const topology = await loadExample("host-gw");
    const desired = compileTopology(topology);
    const [first, ...rest] = desired.hosts;
    const withoutRoutes: DesiredState = {
      ...desired,
      hosts: [
        {
          host: first!.host,
          state: { ...first!.state, root: { ...first!.state.root, routes: [] } },
        },
        ...rest,
      ],
    };
    expect(() => buildTopologyGraph(topology, withoutRoutes)).toThrow(GraphError);
    expect(() => buildTopologyGraph(topology, withoutRoutes)).toThrow(
      "node-1: the compiled state has no route to node-2's block 172.17.9.0/24 and no BGP speaker",
    );
  });

  it("groups hosts by segment, with block, workloads, reflector role and the lab's routers", async () => {
    const graph = await exampleGraph("lab-vxlan-direct");
    expect(graph.mode).toBe("vxlan with directRouting");
    expect(graph.segments.map((s) => [s.subnet, s.hosts.map((h) => h.name)])).toEqual([
      ["192.0.2.0/24", ["a-1", "a-2"]],
      ["198.51.100.0/24", ["b-1"]],
    ]);
    expect(graph.segments[0]!.hosts[0]).toMatchObject({
      underlayIp: "192.0.2.21",
      workloads: [{ name: "web" }],
    });
    expect(graph.routers).toEqual([
      {
        name: "r1",
        legs: [
          { address: "192.0.2.1/24", subnet: "192.0.2.0/24" },
          { address: "198.51.100.1/24", subnet: "198.51.100.0/24" },
        ],
      },
    ]);
    const bgp = await exampleGraph("bgp-reflectors");
    expect(bgp.segments[0]!.hosts.map((h) => h.role ?? "")).toEqual([
      "route reflector",
      "route reflector",
      "",
      "",
      "",
      "",
    ]);
  });
});

describe("buildTopologyGraph: big clusters", () => {
  it(`draws one edge per host pair up to ${PAIR_EDGE_HOST_LIMIT} hosts`, () => {
    const graph = graphOf(bigTopology(PAIR_EDGE_HOST_LIMIT / 2));
    expect(graph.edges).toHaveLength((PAIR_EDGE_HOST_LIMIT * (PAIR_EDGE_HOST_LIMIT - 1)) / 2);
    expect(graph.edges.every((e) => e.kind === "pair")).toBe(true);
  });

  it("past that, one edge per segment pair counting the host pairs per path", () => {
    const graph = graphOf(bigTopology(6));
    expect(graph.edges).toEqual([
      {
        kind: "segments",
        a: "192.0.2.0/24",
        b: "192.0.2.0/24",
        paths: [{ label: "direct", pairs: 15 }],
      },
      {
        kind: "segments",
        a: "192.0.2.0/24",
        b: "198.51.100.0/24",
        paths: [{ label: "vxlan", pairs: 36 }],
      },
      {
        kind: "segments",
        a: "198.51.100.0/24",
        b: "198.51.100.0/24",
        paths: [{ label: "direct", pairs: 15 }],
      },
    ]);
  });

  it("takes another limit", () => {
    const graph = buildTopologyGraph(bigTopology(2), compileTopology(bigTopology(2)), {
      pairEdgeHostLimit: 3,
    });
    expect(graph.edges.map((e) => e.kind)).toEqual(["segments", "segments", "segments"]);
  });
});
