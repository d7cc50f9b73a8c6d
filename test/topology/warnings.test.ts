import { describe, expect, test } from "vitest";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyFile, loadTopologyText } from "../../src/topology/load-topology.js";
import { modes } from "../../src/modes/registry.js";

/** Warnings leave the topology usable: ok stays true and they come with it. */
const warningsOf = (text: string): string[] => {
  const result = loadTopologyText(text, "t.yaml", modes);
  if (!result.ok) throw new Error(result.diagnostics.map(formatDiagnostic).join("\n"));
  return result.warnings.map(formatDiagnostic);
};

const hostLines = (count: number): string =>
  Array.from(
    { length: count },
    (_, i) => `  - {name: h${i}, address: 172.16.${Math.floor(i / 200)}.${(i % 200) + 1}/16}`,
  ).join("\n");

describe("warnings", () => {
  test("settings of another mode have no effect", () => {
    const text = `apiVersion: netplan-k/v1
name: demo
cluster:
  cidr: 10.244.0.0/16
  mode: vxlan
  ipip:
    crossSubnet: true
  bgp: {asn: 65000}
hosts:
  - {name: a, address: 192.168.64.5/24}
`;
    expect(warningsOf(text)).toEqual([
      "t.yaml:6:3: warning: cluster.ipip has no effect with mode vxlan\n  hint: remove it, or set cluster.mode: ipip",
      "t.yaml:8:3: warning: cluster.bgp has no effect with mode vxlan\n  hint: remove it, or set cluster.mode: bgp",
    ]);
  });

  test("a full BGP mesh over 100 hosts suggests reflectors", () => {
    const text = `apiVersion: netplan-k/v1\nname: big\ncluster:\n  cidr: 10.0.0.0/8\n  mode: bgp\nhosts:\n${hostLines(101)}\n`;
    expect(warningsOf(text)).toEqual([
      "t.yaml:5:9: warning: a full BGP mesh of 101 hosts opens 5050 sessions\n  hint: mark two or three hosts as cluster.bgp.reflectors: sessions then grow as hosts x reflectors",
    ]);
  });

  test("100 hosts, or reflectors, give no mesh warning", () => {
    const mesh = `apiVersion: netplan-k/v1\nname: big\ncluster:\n  cidr: 10.0.0.0/8\n  mode: bgp\nhosts:\n${hostLines(100)}\n`;
    expect(warningsOf(mesh)).toEqual([]);
    const reflected = `apiVersion: netplan-k/v1\nname: big\ncluster:\n  cidr: 10.0.0.0/8\n  mode: bgp\n  bgp: {reflectors: [h0, h1]}\nhosts:\n${hostLines(150)}\n`;
    expect(warningsOf(reflected)).toEqual([]);
  });

  test("a lab router leg on no host's subnet", () => {
    const text = `apiVersion: netplan-k/v1
name: demo
cluster: {cidr: 10.244.0.0/16, mode: vxlan}
hosts:
  - {name: a, address: 192.168.64.5/24}
  - {name: b, address: 192.168.65.5/24}
lab:
  routers:
    - name: r1
      legs: [192.168.64.1/24, 192.168.66.1/24]
`;
    expect(warningsOf(text)).toEqual([
      "t.yaml:10:31: warning: lab.routers[0].legs[1] 192.168.66.1/24 is on subnet 192.168.66.0/24, where no host is: this leg joins nothing\n  hint: host subnets: 192.168.64.0/24, 192.168.65.0/24",
    ]);
  });

  test("warnings are listed with the errors when there are errors", () => {
    const text = `apiVersion: netplan-k/v1
name: demo
cluster:
  cidr: 10.244.0.0/16
  mode: vxlan
  bgp: {asn: 65000}
hosts:
  - {name: A, address: 192.168.64.5/24}
`;
    const result = loadTopologyText(text, "t.yaml", modes);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => [d.line, d.column, d.severity])).toEqual([
      [6, 3, "warning"],
      [8, 12, "error"],
    ]);
  });
});

test("a missing file is a diagnostic, not an exception", async () => {
  const result = await loadTopologyFile("/nonexistent/netplan-k/topology.yaml", modes);
  expect(result).toEqual({
    ok: false,
    diagnostics: [
      {
        code: "topology.unreadable",
        file: "/nonexistent/netplan-k/topology.yaml",
        line: 1,
        column: 1,
        severity: "error",
        message: "cannot read the topology: no such file",
        hint: "check the path; a topology is a YAML file (see examples/)",
      },
    ],
  });
});
