import { describe, expect, test } from "vitest";
import type { HostState, NetState } from "../../src/model/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import { hostVethName, vtep6Mac } from "../../src/modes/naming.js";
import { modes } from "../../src/modes/registry.js";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";

/**
 * What host-gw and vxlan (with and without directRouting) put in the kernel for IPv6, with
 * both attach styles (docs/kernel-layout.md, "IPv6"): node-1 and node-2 share both underlay
 * segments, node-3 is on other ones. The IPv4 objects of a dual-stack cluster are exactly
 * those of the same cluster without its IPv6 values.
 */

const hosts = (dual: boolean): string[] => {
  const pair = (v4: string, v6: string): string => (dual ? `[${v4}, ${v6}]` : v4);
  return [
    "hosts:",
    "  - name: node-1",
    `    address: ${pair("192.0.2.11/24", "2001:db8::11/64")}`,
    `    podCidr: ${pair("10.6.1.0/24", "fd00:10:6:1::/64")}`,
    `    namespaces: [{ name: red, ip: ${pair("10.6.1.2", "fd00:10:6:1::2")} }]`,
    "  - name: node-2",
    `    address: ${pair("192.0.2.12/24", "2001:db8::12/64")}`,
    `    podCidr: ${pair("10.6.2.0/24", "fd00:10:6:2::/64")}`,
    "  - name: node-3",
    `    address: ${pair("198.51.100.13/24", "2001:db8:1::13/64")}`,
    `    podCidr: ${pair("10.6.3.0/24", "fd00:10:6:3::/64")}`,
  ];
};

function load(mode: string, attach: string, dual: boolean, directRouting = false): Topology {
  const text = [
    "apiVersion: netplan-k/v1",
    "name: ds",
    "cluster:",
    `  cidr: ${dual ? "[10.6.0.0/16, fd00:10:6::/56]" : "10.6.0.0/16"}`,
    `  mode: ${mode}`,
    `  attach: ${attach}`,
    `  vxlan: { directRouting: ${directRouting} }`,
    // host-gw needs one segment: node-3 only takes part in vxlan.
    ...hosts(dual).slice(0, mode === "host-gw" ? 8 : undefined),
    "",
  ].join("\n");
  const result = loadTopologyText(text, "ds.yaml", modes);
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join("\n"));
  return result.topology;
}

const node1 = (topology: Topology): HostState => {
  const state = compileTopology(topology).hosts[0]?.state;
  if (state === undefined) throw new Error("no node-1");
  return state;
};

const isV6 = (text: string | undefined): boolean => text?.includes(":") === true;

/** node-1's IPv6 objects only (the IPv4 ones are compared with the IPv4 cluster's). */
const v6Objects = (net: NetState) => ({
  links: net.links.filter((l) => l.vxlan !== undefined && isV6(l.vxlan.local)).map((l) => l.name),
  addresses: net.addresses.filter((a) => isV6(a.cidr)).map((a) => `${a.cidr} dev ${a.dev}`),
  routes: net.routes
    .filter((r) => isV6(r.dst))
    .map(
      (r) =>
        `${r.dst} via ${r.via ?? "-"} dev ${r.dev} metric ${r.metric}${r.onlink ? " onlink" : ""}`,
    ),
  neighbours: net.neighbours.filter((n) => isV6(n.dst)).map((n) => `${n.dst} ${n.lladdr}`),
  fdb: net.fdb.filter((f) => isV6(f.dst)).map((f) => `${f.mac} dst ${f.dst}`),
});

/** A state without its IPv6 objects and the IPv6 forwarding sysctl. */
const withoutV6 = (state: HostState): HostState => {
  const strip = (net: NetState): NetState => ({
    links: net.links.filter((l) => !(l.vxlan !== undefined && isV6(l.vxlan.local))),
    addresses: net.addresses.filter((a) => !isV6(a.cidr)),
    routes: net.routes.filter((r) => !isV6(r.dst)),
    neighbours: net.neighbours.filter((n) => !isV6(n.dst)),
    fdb: net.fdb.filter((f) => !isV6(f.dst)),
  });
  return {
    ...state,
    root: strip(state.root),
    namespaces: state.namespaces.map((ns) => ({ ...ns, net: strip(ns.net) })),
    sysctls: state.sysctls.filter((s) => !s.key.startsWith("net.ipv6.")),
  };
};

/**
 * The state with the MTU of cni0 and of the workloads' veths (both ends) set to `mtu`: a
 * dual-stack cluster's workloads take the smaller family's overlay MTU (overlay-mtu.ts).
 */
const withWorkloadMtu = (state: HostState, mtu: number): HostState => {
  const set = (net: NetState): NetState => ({
    ...net,
    links: net.links.map((l) => (l.kind === "bridge" || l.kind === "veth" ? { ...l, mtu } : l)),
  });
  return {
    ...state,
    root: set(state.root),
    namespaces: state.namespaces.map((ns) => ({ ...ns, net: set(ns.net) })),
  };
};

describe.each([
  ["host-gw", false, 1500],
  ["vxlan", false, 1430],
  ["vxlan", true, 1430],
] as const)("%s (directRouting %s)", (mode, directRouting, workloadMtu) => {
  test.each(["bridge", "routed"])(
    `attach %s: the IPv4 objects are the IPv4 cluster's, with workloads at MTU ${workloadMtu}`,
    (attach) => {
      expect(withoutV6(node1(load(mode, attach, true, directRouting)))).toEqual(
        withWorkloadMtu(node1(load(mode, attach, false, directRouting)), workloadMtu),
      );
    },
  );

  test("every host forwards IPv6", () => {
    expect(node1(load(mode, "bridge", true, directRouting)).sysctls).toContainEqual({
      key: "net.ipv6.conf.all.forwarding",
      value: "1",
    });
  });
});

describe("the root namespace's IPv6 objects", () => {
  test("host-gw: each peer's IPv6 block via its IPv6 underlay address", () => {
    expect(v6Objects(node1(load("host-gw", "bridge", true)).root)).toEqual({
      links: [],
      addresses: ["fd00:10:6:1::1/64 dev cni0"],
      routes: ["fd00:10:6:2::/64 via 2001:db8::12 dev eth0 metric 1024"],
      neighbours: [],
      fdb: [],
    });
  });

  test("vxlan: flannel-v6.1 with a route, a neighbour and an fdb entry per peer", () => {
    const state = node1(load("vxlan", "bridge", true));
    expect(v6Objects(state.root)).toEqual({
      links: ["flannel-v6.1"],
      addresses: ["fd00:10:6:1::1/64 dev cni0", "fd00:10:6:1::/128 dev flannel-v6.1"],
      routes: [
        "fd00:10:6:2::/64 via fd00:10:6:2:: dev flannel-v6.1 metric 1024 onlink",
        "fd00:10:6:3::/64 via fd00:10:6:3:: dev flannel-v6.1 metric 1024 onlink",
      ],
      neighbours: [
        `fd00:10:6:2:: ${vtep6Mac("ds", "node-2")}`,
        `fd00:10:6:3:: ${vtep6Mac("ds", "node-3")}`,
      ],
      fdb: expect.arrayContaining([
        `${vtep6Mac("ds", "node-2")} dst 2001:db8::12`,
        `${vtep6Mac("ds", "node-3")} dst 2001:db8:1::13`,
      ]),
    });
    expect(state.root.links.find((l) => l.name === "flannel-v6.1")).toEqual({
      name: "flannel-v6.1",
      kind: "vxlan",
      mtu: 1430,
      up: true,
      mac: vtep6Mac("ds", "node-1"),
      alias: "netplan-k:ds",
      vxlan: { id: 1, local: "2001:db8::11", dev: "eth0", port: 8472, learning: false },
    });
  });

  test("vxlan with directRouting: the peer on node-1's IPv6 segment is routed directly", () => {
    const root = v6Objects(node1(load("vxlan", "bridge", true, true)).root);
    expect(root.routes).toEqual([
      "fd00:10:6:2::/64 via 2001:db8::12 dev eth0 metric 1024",
      "fd00:10:6:3::/64 via fd00:10:6:3:: dev flannel-v6.1 metric 1024 onlink",
    ]);
    expect(root.neighbours).toEqual([`fd00:10:6:3:: ${vtep6Mac("ds", "node-3")}`]);
    expect(root.fdb).toEqual([`${vtep6Mac("ds", "node-3")} dst 2001:db8:1::13`]);
  });

  test("routed attach: each workload's /128 routed to its veth", () => {
    const root = node1(load("host-gw", "routed", true)).root;
    expect(root.routes.filter((r) => isV6(r.dst) && r.via === undefined)).toEqual([
      {
        dst: "fd00:10:6:1::2/128",
        table: 254,
        type: "unicast",
        metric: 1024,
        dev: hostVethName("ds", "red"),
        onlink: false,
        scope: "global",
        protocol: 77,
      },
    ]);
  });
});

describe("a workload's IPv6 objects", () => {
  test.each([
    ["bridge", "fd00:10:6:1::2/64", "::/0 via fd00:10:6:1::1 dev eth0 metric 1024"],
    ["routed", "fd00:10:6:1::2/128", "::/0 via fe80::ecee:eeff:feee:eeee dev eth0 metric 1024"],
  ])("attach %s: its address and its default route", (attach, address, route) => {
    const red = node1(load("vxlan", attach, true)).namespaces[0];
    expect(red?.name).toBe("red");
    expect(v6Objects(red?.net as NetState)).toEqual({
      links: [],
      addresses: [`${address} dev eth0`],
      routes: [route],
      neighbours: [],
      fdb: [],
    });
  });
});
