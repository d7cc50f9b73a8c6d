import { describe, expect, test } from "vitest";
import { modes } from "../../src/modes/registry.js";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import type { ModeCatalog } from "../../src/topology/mode-facts.js";
import type { Topology } from "../../src/topology/topology.js";

/**
 * The dual-stack file format (issue 9, point 1): one value or a list of at most one IPv4 and
 * one IPv6 value. Where a test needs a dual-stack file to load, it hands the loader a catalog
 * of its own in which host-gw carries IPv6, so that the format's tests do not depend on which
 * modes the real catalog lets carry IPv6 (tested below).
 */
const carriesIpv6: ModeCatalog = {
  ...modes,
  "host-gw": { overhead: 0, checkSettings: modes["host-gw"].checkSettings },
};

const file = (cluster: string, hosts: string): string =>
  [
    "apiVersion: netplan-k/v1",
    "name: wd",
    "cluster:",
    ...cluster.split("\n").map((line) => `  ${line}`),
    "hosts:",
    ...hosts.split("\n").map((line) => `  ${line}`),
    "",
  ].join("\n");

const dualCluster = "cidr: [10.244.0.0/16, fd00:10:244::/56]\nmode: host-gw";
const dualHosts = [
  "- name: node-1",
  "  address: [192.0.2.11/24, 2001:db8:2::11/64]",
  "  namespaces: [{ name: red }, { name: blue, ip: [10.244.9.9, fd00:10:244:1::9] }]",
  "  podCidr: [10.244.9.0/24, fd00:10:244:1::/64]",
  "- name: node-2",
  "  address: [2001:db8:2::12/64, 192.0.2.12/24]",
  "  namespaces: [{ name: green }]",
].join("\n");

function load(text: string, catalog: ModeCatalog = modes) {
  return loadTopologyText(text, "t.yaml", catalog);
}

function loaded(text: string, catalog: ModeCatalog = carriesIpv6): Topology {
  const result = load(text, catalog);
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join("\n"));
  return result.topology;
}

const errors = (text: string, catalog: ModeCatalog = carriesIpv6): string[] => {
  const result = load(text, catalog);
  return result.ok ? [] : result.diagnostics.map(formatDiagnostic);
};

describe("dual-stack values", () => {
  test("each family is resolved on its own: written values kept, the rest allocated", () => {
    const topology = loaded(file(dualCluster, dualHosts));
    expect(topology.cluster).toMatchObject({
      v4: { cidr: "10.244.0.0/16", hostPrefix: 24 },
      v6: { cidr: "fd00:10:244::/56", hostPrefix: 64 },
    });
    const [node1, node2] = topology.hosts;
    expect(node1).toMatchObject({
      v4: { underlayIp: "192.0.2.11", podCidr: "10.244.9.0/24" },
      v6: {
        underlayIp: "2001:db8:2::11",
        underlaySubnet: "2001:db8:2::/64",
        podCidr: "fd00:10:244:1::/64",
        podCidrAllocated: false,
      },
    });
    expect(node1?.workloads[1]).toMatchObject({ ipV4: "10.244.9.9", ipV6: "fd00:10:244:1::9" });
    const red = node1?.workloads[0];
    expect(red?.ipV6Allocated).toBe(true);
    expect(red?.ipV6?.startsWith("fd00:10:244:1:")).toBe(true);
    // A list in either order: the family decides, not the position.
    expect(node2?.v4?.underlayIp).toBe("192.0.2.12");
    expect(node2?.v6?.underlayIp).toBe("2001:db8:2::12");
    expect(node2?.v6?.podCidrAllocated).toBe(true);
    expect(node2?.v6?.podCidr).toMatch(/^fd00:10:244:[0-9a-f]{1,2}::\/64$/);
    expect(node2?.v6?.podCidr).not.toBe(node1?.v6?.podCidr);
  });

  test("the same names give the same IPv6 blocks and addresses every time", () => {
    const a = loaded(file(dualCluster, dualHosts));
    const b = loaded(file(dualCluster, dualHosts));
    expect(a.hosts.map((h) => [h.v6, h.workloads])).toEqual(
      b.hosts.map((h) => [h.v6, h.workloads]),
    );
  });

  test("an IPv4-only file resolves no IPv6 side at all", () => {
    const topology = loaded(
      file("cidr: [10.244.0.0/16]\nmode: host-gw", "- name: node-1\n  address: 192.0.2.11/24"),
    );
    expect(topology.cluster.v6).toBeUndefined();
    expect(topology.hosts[0]?.v6).toBeUndefined();
  });

  test("a host lacking a family in a dual-stack cluster is named", () => {
    const hosts =
      "- name: node-1\n  address: 192.0.2.11/24\n- name: node-2\n  address: [2001:db8:2::12/64]";
    expect(errors(file(dualCluster, hosts))).toEqual([
      "t.yaml:8:14: hosts[0].address (node-1) has no IPv6 address, but the cluster is dual-stack: every host needs an underlay address of each family\n" +
        "  hint: write both, such as address: [192.0.2.11/24, 2001:db8::11/64]",
      "t.yaml:10:14: hosts[1].address (node-2) has no IPv4 address, but the cluster is dual-stack: every host needs an underlay address of each family\n" +
        "  hint: write both, such as address: [192.0.2.11/24, 2001:db8::11/64]",
    ]);
  });

  test("two values of one family, bad IPv6 and host bits are told at the list entry", () => {
    const out = errors(
      file(
        "cidr: [10.244.0.0/16, 10.245.0.0/16]\nmode: host-gw",
        [
          "- name: node-1",
          "  address: [192.0.2.11/24, 2001:db8:2::11/129]",
          "  podCidr: [10.244.9.0/24, fd00:10:244:1::1/64]",
          "  namespaces: [{ name: red, ip: [10.244.9.9, 'fd00:::9'] }]",
        ].join("\n"),
      ),
    );
    expect(out).toContain(
      "t.yaml:4:25: cluster.cidr lists two IPv4 values; a list holds at most one IPv4 and one IPv6 value\n" +
        "  hint: a dual-stack value is [<IPv4>, <IPv6>]",
    );
    expect(out).toContain(
      "t.yaml:8:30: hosts[0].address[1] 2001:db8:2::11/129 is not a valid CIDR: prefix length /129 is over 128",
    );
    expect(out).toContain(
      "t.yaml:9:30: hosts[0].podCidr[1] fd00:10:244:1::1/64 has host bits set; did you mean fd00:10:244:1::/64?\n" +
        "  hint: a block is written as its network address: every bit past the prefix length is 0",
    );
    expect(out).toContain(
      "t.yaml:10:48: hosts[0].namespaces[0].ip[1] fd00:::9 is not a valid IPv6 address: it has three colons in a row",
    );
  });

  test("IPv6 blocks are checked as IPv4 ones: size, inside the cluster, overlap, underlay", () => {
    const out = errors(
      file(
        "cidr: [10.244.0.0/16, fd00:10:244::/56]\nmode: host-gw",
        [
          "- name: node-1",
          "  address: [192.0.2.11/24, 'fd00:10:244:7::11/64']",
          "  podCidr: [10.244.1.0/24, 'fd00:10:244:1::/80']",
          "- name: node-2",
          "  address: [192.0.2.12/24, 2001:db8:2::12/64]",
          "  podCidr: [10.244.2.0/24, 'fd00:10:245::/64']",
        ].join("\n"),
      ),
    );
    expect(out.map((line) => line.split("\n")[0])).toEqual([
      "t.yaml:8:30: hosts[0].address[1] fd00:10:244:7::11/64 is on subnet fd00:10:244:7::/64, which overlaps cluster.cidr fd00:10:244::/56: routes for the cluster range would capture the path to the host, SSH included",
      "t.yaml:9:30: hosts[0].podCidr[1] fd00:10:244:1::/80 is a /80, but cluster.hostPrefixV6 is 64: every block has that size",
      "t.yaml:11:30: mode host-gw needs every pair of hosts on one segment, but node-2 (2001:db8:2::/64) and node-1 (fd00:10:244:7::/64) are on different subnets",
      "t.yaml:12:30: hosts[1].podCidr[1] fd00:10:245::/64 is outside cluster.cidr fd00:10:244::/56",
    ]);
  });

  test("IPv6 values in an IPv4-only cluster: an underlay address is a warning, a block an error", () => {
    const out = errors(
      file(
        "cidr: 10.244.0.0/16\nmode: host-gw",
        [
          "- name: node-1",
          "  address: [192.0.2.11/24, 2001:db8:2::11/64]",
          "  podCidr: [10.244.9.0/24, fd00:10:244:1::/64]",
        ].join("\n"),
      ),
    );
    expect(out).toEqual([
      "t.yaml:8:30: warning: hosts[0].address[1] 2001:db8:2::11/64 has no effect: cluster.cidr has no IPv6 range\n" +
        "  hint: add an IPv6 range to cluster.cidr to make the cluster dual-stack, or remove this address",
      "t.yaml:9:30: hosts[0].podCidr[1] fd00:10:244:1::/64 is IPv6, but cluster.cidr has no IPv6 range\n" +
        "  hint: add an IPv6 range to cluster.cidr to make the cluster dual-stack, or remove this value",
    ]);
  });

  test("hostPrefixV6 in an IPv4-only cluster is a warning at its key", () => {
    const result = load(
      file(
        "cidr: 10.244.0.0/16\nhostPrefixV6: 80\nmode: host-gw",
        "- name: node-1\n  address: 192.0.2.11/24",
      ),
    );
    expect(result.ok && result.warnings.map(formatDiagnostic)).toEqual([
      "t.yaml:5:3: warning: cluster.hostPrefixV6 has no effect: cluster.cidr has no IPv6 range\n" +
        "  hint: add an IPv6 range to cluster.cidr to make the cluster dual-stack, or remove hostPrefixV6",
    ]);
  });

  test("a number where an address belongs is a string or a list", () => {
    expect(
      errors(file("cidr: 10\nmode: host-gw", "- name: node-1\n  address: 192.0.2.11/24")),
    ).toEqual([
      "t.yaml:4:9: cluster.cidr must be a string or a list, found the number 10\n" +
        "  hint: A prefix in CIDR form, IPv4 (10.244.0.0/16) or IPv6 (fd00:10:244::/56), or a list of at most one of each family (dual-stack, Kubernetes' convention).",
    ]);
  });
});

describe("modes and IPv6, with the real catalog", () => {
  const withMode = (mode: string): string =>
    file(`cidr: [10.244.0.0/16, fd00:10:244::/56]\nmode: ${mode}`, dualHosts);

  test("ipip is refused at the IPv6 range, with vxlan as the way", () => {
    expect(errors(withMode("ipip"), modes)).toEqual([
      "t.yaml:4:25: mode ipip carries IPv4 only (IP-in-IP encapsulates IPv4 packets): it cannot carry cluster.cidr's IPv6 range\n" +
        "  hint: use mode vxlan for IPv6, as Calico does (a dual-stack cluster could instead drop its IPv6 range from cluster.cidr)",
    ]);
  });

  test.each(["host-gw", "vxlan", "bgp"])("%s carries a dual-stack cluster", (mode) => {
    expect(errors(withMode(mode), modes)).toEqual([]);
  });

  test("a dual-stack vxlan cluster needs a VNI that names flannel-v6.<vni> in 15 characters", () => {
    const text = (vni: number): string =>
      file(
        `cidr: [10.244.0.0/16, fd00:10:244::/56]\nmode: vxlan\nvxlan: { vni: ${vni} }`,
        dualHosts,
      );
    expect(errors(text(9999), modes)).toEqual([]);
    expect(errors(text(10000), modes)).toEqual([
      "t.yaml:6:17: cluster.vxlan.vni 10000 would name the IPv6 VTEP flannel-v6.10000, longer than the kernel's 15 characters for an interface name: in a dual-stack cluster the VNI can be at most 9999",
    ]);
  });

  test("ipip is refused for an IPv6-only cluster too, at its range, with vxlan as the way", () => {
    expect(
      errors(file("cidr: fd00:10:244::/56\nmode: ipip", v6OnlyHosts), modes).map(
        (line) => line.split("\n")[0],
      ),
    ).toEqual([
      "t.yaml:4:9: mode ipip carries IPv4 only (IP-in-IP encapsulates IPv4 packets): it cannot carry cluster.cidr's IPv6 range",
    ]);
  });

  test.each(["host-gw", "vxlan", "bgp"])("%s carries an IPv6-only cluster", (mode) => {
    expect(errors(file(`cidr: fd00:10:244::/56\nmode: ${mode}`, v6OnlyHosts), modes)).toEqual([]);
  });

  test("host-gw across IPv6 subnets is pointed at vxlan alone: ipip carries no IPv6", () => {
    // The hint used to offer ipip, which the same file is refused for (new-user trial).
    const hosts = [
      "- name: node-1",
      "  address: 2001:db8:1::11/64",
      "- name: node-2",
      "  address: 2001:db8:2::12/64",
    ].join("\n");
    expect(errors(file("cidr: fd00:10:244::/56\nmode: host-gw", hosts), modes)).toEqual([
      "t.yaml:10:14: mode host-gw needs every pair of hosts on one segment, but node-2 (2001:db8:2::/64) and node-1 (2001:db8:1::/64) are on different subnets\n" +
        "  hint: use mode vxlan, which crosses subnets in both families (ipip carries IPv4 only); vxlan.directRouting keeps direct routes between hosts of one segment",
    ]);
  });

  test("an IPv6-only lab with sshd is refused at lab.sshd, before lab up claims its prefix", () => {
    const text = (sshd: boolean): string =>
      `${file("cidr: fd00:10:244::/56\nmode: bgp", v6OnlyHosts)}lab: { prefix: t6, sshd: ${sshd} }\n`;
    expect(errors(text(false), modes)).toEqual([]);
    expect(errors(text(true), modes)).toEqual([
      "t.yaml:14:26: lab.sshd is not built for an IPv6-only cluster: the lab's sshd and ssh_config take IPv4 addresses\n" +
        "  hint: set lab.sshd: false: the lab enters its hosts with nsenter (netplan-k lab status prints how)",
    ]);
  });

  test("an IPv6-only vxlan cluster's VNI is held to the IPv6 VTEP's name alone", () => {
    const text = (vni: number): string =>
      file(`cidr: fd00:10:244::/56\nmode: vxlan\nvxlan: { vni: ${vni} }`, v6OnlyHosts);
    expect(errors(text(9999), modes)).toEqual([]);
    expect(errors(text(10000), modes)).toEqual([
      "t.yaml:6:17: cluster.vxlan.vni 10000 would name the IPv6 VTEP flannel-v6.10000, longer than the kernel's 15 characters for an interface name: in an IPv6-only cluster the VNI can be at most 9999",
    ]);
  });
});

const v6OnlyHosts = [
  "- name: node-1",
  "  address: 2001:db8:2::11/64",
  "  namespaces: [{ name: red }, { name: blue, ip: fd00:10:244:1::9 }]",
  "  podCidr: fd00:10:244:1::/64",
  "- name: node-2",
  "  address: [2001:db8:2::12/64]",
  "  namespaces: [{ name: green }]",
].join("\n");

describe("IPv6-only clusters", () => {
  test("resolve an IPv6 side only: blocks and addresses written or allocated, ssh to the IPv6 address", () => {
    const topology = loaded(file("cidr: [fd00:10:244::/56]\nmode: host-gw", v6OnlyHosts));
    expect(topology.cluster.v4).toBeUndefined();
    expect(topology.cluster.v6).toEqual({ cidr: "fd00:10:244::/56", hostPrefix: 64 });
    const [node1, node2] = topology.hosts;
    expect(node1?.v4).toBeUndefined();
    expect(node1?.v6).toEqual({
      underlayIp: "2001:db8:2::11",
      underlaySubnet: "2001:db8:2::/64",
      underlayPrefix: 64,
      podCidr: "fd00:10:244:1::/64",
      podCidrAllocated: false,
    });
    expect(node1?.transport).toEqual({ kind: "ssh", host: "2001:db8:2::11" });
    expect(node1?.workloads[1]).toEqual({
      name: "blue",
      ipV6: "fd00:10:244:1::9",
      ipV6Allocated: false,
    });
    expect(node1?.workloads[0]?.ipV4).toBeUndefined();
    expect(node1?.workloads[0]?.ipV6?.startsWith("fd00:10:244:1:")).toBe(true);
    expect(node2?.v6?.podCidrAllocated).toBe(true);
    expect(node2?.v6?.podCidr).toMatch(/^fd00:10:244:[0-9a-f]{1,2}::\/64$/);
  });

  test("a host with only an IPv4 address is refused at it; one with both is warned", () => {
    const hosts = [
      "- name: node-1",
      "  address: 192.0.2.11/24",
      "- name: node-2",
      "  address: [192.0.2.12/24, 2001:db8:2::12/64]",
    ].join("\n");
    const result = load(file("cidr: fd00:10:244::/56\nmode: host-gw", hosts), carriesIpv6);
    expect(result.ok).toBe(false);
    expect((result.ok ? result.warnings : result.diagnostics).map(formatDiagnostic)).toEqual([
      "t.yaml:8:14: hosts[0].address (node-1) has only an IPv4 address, but the cluster is IPv6-only (cluster.cidr has only an IPv6 range): every host needs an IPv6 underlay address\n" +
        "  hint: write the host's IPv6 address with its prefix length, such as address: 2001:db8::11/64",
      "t.yaml:10:14: warning: hosts[1].address (node-2): its IPv4 address has no effect, the cluster is IPv6-only (cluster.cidr has only an IPv6 range)\n" +
        "  hint: add an IPv4 range to cluster.cidr to make the cluster dual-stack, or remove the IPv4 address",
    ]);
  });

  test("an IPv4 block or workload address is an error; hostPrefix a warning at its key", () => {
    const hosts = [
      "- name: node-1",
      "  address: 2001:db8:2::11/64",
      "  podCidr: [10.244.9.0/24, fd00:10:244:1::/64]",
      "  namespaces: [{ name: red, ip: 10.244.9.9 }]",
    ].join("\n");
    const result = load(
      file("cidr: fd00:10:244::/56\nhostPrefix: 26\nmode: host-gw", hosts),
      carriesIpv6,
    );
    expect((result.ok ? result.warnings : result.diagnostics).map(formatDiagnostic)).toEqual([
      "t.yaml:5:3: warning: cluster.hostPrefix has no effect: cluster.cidr has no IPv4 range (the IPv6 blocks' size is cluster.hostPrefixV6)\n" +
        "  hint: remove hostPrefix, or set hostPrefixV6 (default 64) for the size of each host's IPv6 block",
      "t.yaml:10:15: hosts[0].podCidr[0] 10.244.9.0/24 is IPv4, but the cluster is IPv6-only (cluster.cidr has only an IPv6 range)\n" +
        "  hint: write an IPv6 value here, or add an IPv4 range to cluster.cidr to make the cluster dual-stack",
      "t.yaml:11:35: hosts[0].namespaces[0].ip 10.244.9.9 is IPv4, but the cluster is IPv6-only (cluster.cidr has only an IPv6 range)\n" +
        "  hint: write an IPv6 value here, or add an IPv4 range to cluster.cidr to make the cluster dual-stack",
    ]);
  });

  test("the workloads' MTU must carry IPv6: 1280 after the mode's IPv6 overhead", () => {
    const withMtu = (cluster: string, mtu: number): string[] =>
      errors(
        file(`${cluster}\nmtu: ${mtu}`, cluster.includes("[") ? dualHosts : v6OnlyHosts),
        modes,
      );
    expect(withMtu("cidr: fd00:10:244::/56\nmode: vxlan", 1350)).toEqual([]);
    expect(withMtu("cidr: fd00:10:244::/56\nmode: vxlan", 1349)).toEqual([
      "t.yaml:6:8: cluster.mtu 1349 leaves 1279 after vxlan's 70 bytes of IPv6 encapsulation and is too small for IPv6: its links need an MTU of at least 1280, or the kernel refuses their IPv6 addresses\n" +
        "  hint: raise cluster.mtu to at least 1350",
    ]);
    // An IPv6-only cluster is not held to IPv4's 576: IPv6's minimum says it alone.
    expect(withMtu("cidr: fd00:10:244::/56\nmode: vxlan", 600)[0]).toMatch(
      /^t\.yaml:6:8: cluster\.mtu 600 leaves 530 after vxlan's 70 bytes of IPv6 encapsulation/,
    );
    // Dual-stack: IPv4's message where IPv4's minimum refuses the MTU, else IPv6's.
    const dual = "cidr: [10.244.0.0/16, fd00:10:244::/56]\nmode: host-gw";
    expect(withMtu(dual, 1279)[0]).toMatch(/^t\.yaml:6:8: cluster\.mtu 1279 is too small for IPv6/);
    expect(withMtu(dual, 500)).toHaveLength(1);
    expect(withMtu(dual, 500)[0]).toMatch(/workloads need an MTU of at least 576/);
  });

  test("host-gw and bgp need one IPv6 segment", () => {
    const hosts = [
      "- name: node-1",
      "  address: 2001:db8:2::11/64",
      "- name: node-2",
      "  address: 2001:db8:3::12/64",
    ].join("\n");
    expect(
      errors(file("cidr: fd00:10:244::/56\nmode: bgp", hosts), modes).map(
        (line) => line.split("\n")[0],
      ),
    ).toEqual([
      "t.yaml:10:14: mode bgp needs every pair of hosts on one segment, but node-2 (2001:db8:3::/64) and node-1 (2001:db8:2::/64) are on different subnets",
    ]);
  });
});
