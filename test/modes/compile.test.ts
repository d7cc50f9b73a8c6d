import { describe, expect, test } from "vitest";
import {
  addressKey,
  fdbKey,
  linkKey,
  neighbourKey,
  routeKey,
  sysctlKey,
  type DesiredState,
  type HostState,
  type NetState,
} from "../../src/model/index.js";
import { CompileError } from "../../src/modes/compile-error.js";
import { compileTopology } from "../../src/modes/compile.js";
import { hostVethName, vtepMac } from "../../src/modes/naming.js";
import { overlayMtu } from "../../src/modes/overlay-mtu.js";
import type { ModeName, Topology } from "../../src/topology/topology.js";
import { expectedGatewayRoute } from "./expected-objects.js";
import { buildTopology, type HostSpec } from "./topology-fixture.js";

/** Three hosts on two segments, workloads on two of them (listed out of name order). */
const hostSpecs: HostSpec[] = [
  {
    name: "node-1",
    ip: "192.168.64.5",
    podCidr: "10.244.1.0/24",
    workloads: [
      ["red", "10.244.1.2"],
      ["blue", "10.244.1.3"],
    ],
  },
  { name: "node-2", ip: "192.168.64.6", podCidr: "10.244.2.0/24" },
  {
    name: "node-3",
    ip: "192.168.65.7",
    podCidr: "10.244.10.0/24",
    workloads: [
      ["yellow", "10.244.10.5"],
      ["green", "10.244.10.4"],
    ],
  },
];

const topologyFor = (mode: ModeName, attach: "bridge" | "routed", mtu = 1500): Topology =>
  buildTopology({
    name: "demo",
    mode,
    attach,
    mtu,
    vxlan: { directRouting: true },
    ipip: { crossSubnet: true },
    bgp: { reflectors: ["node-3", "node-1"] },
    hosts: hostSpecs,
  });

const every: [ModeName, "bridge" | "routed"][] = (
  ["host-gw", "vxlan", "ipip", "bgp"] as const
).flatMap((mode) => [
  [mode, "bridge"] as [ModeName, "bridge"],
  [mode, "routed"] as [ModeName, "routed"],
]);

const stateOf = (desired: DesiredState, host: string): HostState => {
  const found = desired.hosts.find((entry) => entry.host === host);
  if (found === undefined) throw new Error(`no host ${host}`);
  return found.state;
};

/** Every link of a state, root and namespaces, by "<netns>/<name>". */
const mtus = (state: HostState): Record<string, number> =>
  Object.fromEntries([
    ...state.root.links.map((link) => [`/${link.name}`, link.mtu]),
    ...state.namespaces.flatMap((namespace) =>
      namespace.net.links.map((link) => [`${namespace.name}/${link.name}`, link.mtu]),
    ),
  ]);

const isSorted = <T>(items: readonly T[], keyOf: (item: T) => string): boolean =>
  items.every((item, index) => {
    const previous = items[index - 1];
    return previous === undefined || keyOf(previous) < keyOf(item);
  });

const isNetSorted = (net: NetState): boolean =>
  isSorted(net.links, linkKey) &&
  isSorted(net.addresses, addressKey) &&
  isSorted(net.routes, routeKey) &&
  isSorted(net.neighbours, neighbourKey) &&
  isSorted(net.fdb, fdbKey);

/** A fixed permutation rather than Math.random, so a failure reproduces. */
const shuffled = <T>(items: readonly T[]): T[] => [...items].reverse();

describe("compileTopology", () => {
  test("names the topology and the cluster CIDR, and keeps the topology's host order", () => {
    const topology = topologyFor("host-gw", "routed");
    const reordered = { ...topology, hosts: shuffled(topology.hosts) };
    const desired = compileTopology(reordered);
    expect(desired.topology).toBe("demo");
    expect(desired.clusterCidr).toBe("10.244.0.0/16");
    expect(desired.hosts.map((entry) => entry.host)).toEqual(["node-3", "node-2", "node-1"]);
  });

  test("compiles the vxlan example's first host exactly (mode and attach merged, sorted)", () => {
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
          workloads: [["red", "10.1.15.2"]],
        },
        {
          name: "node-2",
          ip: "192.168.64.6",
          podCidr: "10.1.16.0/24",
          workloads: [["blue", "10.1.16.2"]],
        },
      ],
    });
    const alias = "netplan-k:vxlan-demo";
    const mac2 = vtepMac("vxlan-demo", "node-2");
    expect(stateOf(compileTopology(topology), "node-1")).toEqual({
      root: {
        links: [
          { name: "cni0", kind: "bridge", mtu: 1450, up: true, alias },
          {
            name: "flannel.1",
            kind: "vxlan",
            mtu: 1450,
            up: true,
            mac: vtepMac("vxlan-demo", "node-1"),
            alias,
            vxlan: { id: 1, local: "192.168.64.5", dev: "eth0", port: 8472, learning: false },
          },
          {
            name: hostVethName("vxlan-demo", "red"),
            kind: "veth",
            mtu: 1450,
            up: true,
            alias,
            master: "cni0",
            peer: { netns: "red", name: "eth0" },
          },
        ],
        addresses: [
          { dev: "cni0", cidr: "10.1.15.1/24" },
          { dev: "flannel.1", cidr: "10.1.15.0/32" },
        ],
        routes: [expectedGatewayRoute("10.1.16.0/24", "10.1.16.0", "flannel.1", true)],
        neighbours: [{ dev: "flannel.1", dst: "10.1.16.0", lladdr: mac2, permanent: true }],
        fdb: [{ dev: "flannel.1", mac: mac2, dst: "192.168.64.6" }],
      },
      namespaces: [
        {
          name: "red",
          owner: "vxlan-demo",
          net: {
            links: [
              { name: "eth0", kind: "veth", mtu: 1450, up: true },
              { name: "lo", kind: "", mtu: 65536, up: true, alias },
            ],
            addresses: [{ dev: "eth0", cidr: "10.1.15.2/24" }],
            routes: [expectedGatewayRoute("0.0.0.0/0", "10.1.15.1", "eth0", false)],
            neighbours: [],
            fdb: [],
          },
        },
      ],
      sysctls: [{ key: "net.ipv4.ip_forward", value: "1" }],
      files: [],
      services: [],
    });
  });

  test.each(every)(
    "%s/%s: ip_forward on every host, every array sorted by its key",
    (mode, attach) => {
      for (const { state } of compileTopology(topologyFor(mode, attach)).hosts) {
        expect(state.sysctls).toContainEqual({ key: "net.ipv4.ip_forward", value: "1" });
        expect(isNetSorted(state.root)).toBe(true);
        expect(state.namespaces.every((namespace) => isNetSorted(namespace.net))).toBe(true);
        expect(isSorted(state.namespaces, (namespace) => namespace.name)).toBe(true);
        expect(isSorted(state.sysctls, sysctlKey)).toBe(true);
      }
    },
  );

  test("MTUs: vxlan 1450, ipip 1480, host-gw and bgp 1500 from an underlay of 1500", () => {
    const expected = (device: string, mtu: number) => ({
      ...(device === "" ? {} : { [`/${device}`]: mtu }),
      "/cni0": mtu,
      [`/${hostVethName("demo", "red")}`]: mtu,
      [`/${hostVethName("demo", "blue")}`]: mtu,
      "red/eth0": mtu,
      "red/lo": 65536,
      "blue/eth0": mtu,
      "blue/lo": 65536,
    });
    const node1 = (mode: ModeName, mtu?: number) =>
      mtus(stateOf(compileTopology(topologyFor(mode, "bridge", mtu)), "node-1"));
    expect(node1("vxlan")).toEqual(expected("flannel.1", 1450));
    expect(node1("ipip")).toEqual(expected("tunl0", 1480));
    expect(node1("host-gw")).toEqual(expected("", 1500));
    expect(node1("bgp")).toEqual(expected("", 1500));
    expect(node1("vxlan", 9000)).toEqual(expected("flannel.1", 8950));
  });

  test("overlayMtu subtracts the mode's overhead", () => {
    expect(overlayMtu(topologyFor("vxlan", "routed"))).toBe(1450);
    expect(overlayMtu(topologyFor("ipip", "routed", 1400))).toBe(1380);
    expect(overlayMtu(topologyFor("host-gw", "routed"))).toBe(1500);
    expect(overlayMtu(topologyFor("bgp", "routed"))).toBe(1500);
  });

  test.each(every)("%s/%s: deterministic, byte for byte", (mode, attach) => {
    const topology = topologyFor(mode, attach);
    const first = JSON.stringify(compileTopology(topology));
    expect(JSON.stringify(compileTopology(topology))).toBe(first);
    expect(JSON.stringify(compileTopology(structuredClone(topology)))).toBe(first);
  });

  test.each(every)(
    "%s/%s: the order of hosts, workloads and reflectors does not change any host's state",
    (mode, attach) => {
      const topology = topologyFor(mode, attach);
      const reordered: Topology = {
        ...topology,
        cluster: {
          ...topology.cluster,
          bgp: { ...topology.cluster.bgp, reflectors: shuffled(topology.cluster.bgp.reflectors) },
        },
        hosts: shuffled(topology.hosts).map((host) => ({
          ...host,
          workloads: shuffled(host.workloads),
        })),
      };
      const desired = compileTopology(topology);
      const desiredReordered = compileTopology(reordered);
      for (const { host } of desired.hosts) {
        expect(JSON.stringify(stateOf(desiredReordered, host))).toBe(
          JSON.stringify(stateOf(desired, host)),
        );
      }
    },
  );

  test("refuses two objects with one kernel identity on a host", () => {
    const topology = buildTopology({
      mode: "host-gw",
      hosts: [
        {
          name: "node-1",
          ip: "192.168.64.5",
          podCidr: "10.244.1.0/24",
          workloads: [
            ["red", "10.244.1.2"],
            ["red", "10.244.1.3"],
          ],
        },
      ],
    });
    const thrown = (() => {
      try {
        compileTopology(topology);
        return undefined;
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toBeInstanceOf(CompileError);
    expect(thrown).toMatchObject({
      code: "compile.duplicate-object",
      message: expect.stringContaining(
        `node-1 link: two desired objects with the key "${hostVethName("demo", "red")}"`,
      ),
    });
  });
});
