import { describe, expect, test } from "vitest";
import type { DesiredHost } from "../../src/model/index.js";
import { birdRouterId, renderBirdConfig } from "../../src/modes/bird-config.js";
import { compileTopology } from "../../src/modes/compile.js";
import { modes } from "../../src/modes/registry.js";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";

/**
 * What each mode puts in the kernel for an IPv6-only cluster (docs/kernel-layout.md,
 * "IPv6-only"): the IPv6 objects of the dual-stack layout and nothing of IPv4. node-1 and
 * node-2 share a segment, node-3 is on another one (vxlan only).
 */

function load(cluster: string, third = "2001:db8::13/64"): Topology {
  const text = [
    "apiVersion: netplan-k/v1",
    "name: six",
    "cluster:",
    ...cluster.split("\n").map((line) => `  ${line}`),
    "hosts:",
    "  - { name: node-1, address: 2001:db8::11/64, podCidr: fd00:10:6:1::/64, namespaces: [{ name: red, ip: fd00:10:6:1::2 }] }",
    "  - { name: node-2, address: 2001:db8::12/64, podCidr: fd00:10:6:2::/64 }",
    `  - { name: node-3, address: ${third}, podCidr: fd00:10:6:3::/64 }`,
    "",
  ].join("\n");
  const result = loadTopologyText(text, "six.yaml", modes);
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join("\n"));
  return result.topology;
}

const node = (topology: Topology, name = "node-1"): DesiredHost => {
  const found = compileTopology(topology).hosts.find((host) => host.host === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
};

/** Every address, route destination and neighbour of a host's state, root and namespaces. */
const addressesOf = (host: DesiredHost): string[] =>
  [host.state.root, ...host.state.namespaces.map((ns) => ns.net)].flatMap((net) => [
    ...net.addresses.map((a) => a.cidr),
    ...net.routes.flatMap((r) => [r.dst, ...(r.via === undefined ? [] : [r.via])]),
    ...net.neighbours.map((n) => n.dst),
  ]);

describe("IPv6-only clusters compile to IPv6 objects only", () => {
  test.each([
    ["host-gw", "bridge"],
    ["host-gw", "routed"],
    ["vxlan", "bridge"],
    ["vxlan", "routed"],
    ["bgp", "bridge"],
    ["bgp", "routed"],
  ])("%s, attach %s: no IPv4 address, route, neighbour or sysctl", (mode, attach) => {
    const topology = load(`cidr: fd00:10:6::/56\nmode: ${mode}\nattach: ${attach}`);
    const host = node(topology);
    expect(addressesOf(host).filter((text) => !text.includes(":"))).toEqual([]);
    expect(host.state.sysctls).toEqual([{ key: "net.ipv6.conf.all.forwarding", value: "1" }]);
    expect(host.requirements?.underlay).toMatchObject({ address: "2001:db8::11", prefix: 64 });
    expect(host.requirements?.underlay.v6).toBeUndefined();
  });

  test("vxlan: only the IPv6 VTEP, and workloads at mtu − 70 (its overhead)", () => {
    const host = node(load("cidr: fd00:10:6::/56\nmode: vxlan\nattach: bridge"));
    const links = host.state.root.links.map((link) => [link.name, link.kind, link.mtu]);
    expect(links.filter(([, kind]) => kind === "vxlan")).toEqual([["flannel-v6.1", "vxlan", 1430]]);
    expect(links.filter(([name]) => name === "cni0")).toEqual([["cni0", "bridge", 1430]]);
    expect(host.state.namespaces[0]?.net.links.find((l) => l.name === "eth0")?.mtu).toBe(1430);
  });

  test("vxlan with directRouting: host-gw routes on the IPv6 segment, the VTEP across it", () => {
    const topology = load(
      "cidr: fd00:10:6::/56\nmode: vxlan\nvxlan: { directRouting: true }",
      "2001:db8:1::13/64",
    );
    const routes = node(topology).state.root.routes.filter((r) => r.protocol === 77);
    expect(routes.map((r) => `${r.dst} via ${r.via ?? "-"} dev ${r.dev ?? "-"}`)).toEqual([
      "fd00:10:6:2::/64 via 2001:db8::12 dev eth0",
      "fd00:10:6:3::/64 via fd00:10:6:3:: dev flannel-v6.1",
    ]);
  });

  test("routed attach: no proxy ARP and no 169.254.1.1 neighbour, the link-local gateway", () => {
    const host = node(load("cidr: fd00:10:6::/56\nmode: host-gw\nattach: routed"));
    const red = host.state.namespaces[0]?.net;
    expect(red?.neighbours).toEqual([]);
    expect(red?.routes.map((r) => `${r.dst} via ${r.via ?? "-"}`)).toEqual([
      "::/0 via fe80::ecee:eeff:feee:eeee",
    ]);
  });

  test("bgp: BIRD's router id is the low 32 bits of the IPv6 underlay; one ipv6 session per peer", () => {
    const topology = load(
      "cidr: fd00:10:6::/56\nmode: bgp\nbgp: { reflectors: [node-2] }",
      "2001:db8::c000:20d/64",
    );
    expect(topology.hosts.map(birdRouterId)).toEqual(["0.0.0.17", "0.0.0.18", "192.0.2.13"]);
    const [node1, node2] = topology.hosts;
    if (node1 === undefined || node2 === undefined) throw new Error("hosts missing");
    const config = renderBirdConfig(topology, node1);
    expect(config).toContain("router id 0.0.0.17;");
    expect(config).not.toMatch(/ipv4/);
    expect(config).toContain("protocol bgp peer6_node_2 from cluster_peer6 {");
    // The reflector's cluster id is its router id, as an IPv4 cluster's is its address.
    expect(renderBirdConfig(topology, node2)).toContain("rr cluster id 0.0.0.18;");
  });

  test("bgp: an IPv6-only host whose router id would be 0.0.0.0 or another's is refused", () => {
    const text = (third: string): string[] => {
      const result = loadTopologyText(
        [
          "apiVersion: netplan-k/v1",
          "name: six",
          "cluster: { cidr: fd00:10:6::/56, mode: bgp }",
          "hosts:",
          "  - { name: node-1, address: 2001:db8::11/64 }",
          `  - { name: node-3, address: ${third} }`,
          "",
        ].join("\n"),
        "six.yaml",
        modes,
      );
      return result.ok
        ? []
        : result.diagnostics.map((d) => formatDiagnostic(d).split("\n")[0] ?? "");
    };
    expect(text("2001:db8::1:0:0/64")).toEqual([
      "six.yaml:6:30: hosts[1].address 2001:db8::1:0:0/64 (node-3) would give BIRD the router id 0.0.0.0, which BGP does not allow",
    ]);
    expect(text("2001:db8::1:0:11/64")).toEqual([
      "six.yaml:6:30: hosts[1].address 2001:db8::1:0:11/64 (node-3) would give BIRD the router id 0.0.0.17, which is already node-1's",
    ]);
  });
});
