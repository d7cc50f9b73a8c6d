import { expect, test } from "vitest";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { modes } from "../../src/modes/registry.js";

const errors = (text: string): string[] => {
  const result = loadTopologyText(text, "t.yaml", modes);
  return result.ok ? [] : result.diagnostics.map(formatDiagnostic);
};

const topology = (cluster: readonly string[], hosts: readonly string[]): string =>
  [
    "apiVersion: netplan-k/v1",
    "name: demo",
    "cluster:",
    ...cluster.map((l) => `  ${l}`),
    "hosts:",
    ...hosts.map((l) => `  ${l}`),
    "",
  ].join("\n");

const threeHosts = [
  "- name: a1",
  "  address: 198.51.100.11/24",
  "- name: a2",
  "  address: 198.51.100.12/24",
  "- name: a3",
  "  address: 198.51.100.13/24",
];

test("a swapped pair of letters in a short key gets did you mean, and nothing else", () => {
  expect(errors(topology(["cidr: 10.42.0.0/16", "mdoe: vxlan"], threeHosts))).toEqual([
    "t.yaml:5:3: cluster.mdoe is not a known field\n  hint: did you mean mode?",
  ]);
});

test("a key close to no known field lists the known fields", () => {
  expect(
    errors(topology(["cidr: 10.42.0.0/16", "mode: vxlan", "colour: red"], threeHosts)),
  ).toEqual([
    "t.yaml:6:3: cluster.colour is not a known field\n" +
      "  hint: known fields here: cidr, hostPrefix, hostPrefixV6, mode, attach, mtu, vxlan, ipip, bgp",
  ]);
});

test("a podCidr outside the cluster gets a free block inside it", () => {
  const hosts = [...threeHosts.slice(0, 4), "  podCidr: 10.244.12.0/24", ...threeHosts.slice(4)];
  const [message] = errors(topology(["cidr: 10.42.0.0/16", "mode: vxlan"], hosts));
  expect(message).toMatch(
    /^t\.yaml:11:14: hosts\[1\]\.podCidr 10\.244\.12\.0\/24 is outside cluster\.cidr 10\.42\.0\.0\/16\n {2}hint: use a free \/24 inside 10\.42\.0\.0\/16, such as (10\.42\.\d+\.0\/24), or remove podCidr to have a block allocated$/,
  );
  // The suggestion is right: written in, the file is valid.
  const suggested = /such as (\S+),/.exec(message ?? "")?.[1] ?? "";
  const fixed = [...threeHosts.slice(0, 4), `  podCidr: ${suggested}`, ...threeHosts.slice(4)];
  expect(errors(topology(["cidr: 10.42.0.0/16", "mode: vxlan"], fixed))).toEqual([]);
});

test("a free block is suggested even when the host's own allocated block is pinned by another", () => {
  // a2's allocated block, pinned by a1: the suggestion must avoid it.
  const load = loadTopologyText(
    topology(["cidr: 10.42.0.0/16", "mode: vxlan"], threeHosts),
    "t",
    modes,
  );
  const a2Block = load.ok ? load.topology.hosts[1]?.v4?.podCidr : undefined;
  const hosts = [
    "- name: a1",
    "  address: 198.51.100.11/24",
    `  podCidr: ${a2Block}`,
    "- name: a2",
    "  address: 198.51.100.12/24",
    "  podCidr: 10.244.12.0/24",
  ];
  const [message] = errors(topology(["cidr: 10.42.0.0/16", "mode: vxlan"], hosts));
  expect(message).toContain("such as 10.42.0.0/24,");
});

test("a reflector that names no host is never matched to a reflector already listed", () => {
  const cluster = ["cidr: 10.42.0.0/16", "mode: bgp", "bgp:", "  reflectors: [a1, a7]"];
  expect(errors(topology(cluster, threeHosts))).toEqual([
    "t.yaml:7:22: cluster.bgp.reflectors[1] a7 is not the name of any host\n  hint: did you mean a2?",
  ]);
});
