import { expect, test } from "vitest";
import { formatDiagnostic } from "../../src/topology/diagnostic.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { modes } from "../../src/modes/registry.js";

const messages = (text: string): string[] => {
  const result = loadTopologyText(text, "topology.yaml", modes);
  return result.ok
    ? result.warnings.map(formatDiagnostic)
    : result.diagnostics.map(formatDiagnostic);
};

test("an error is file:line:column: message", () => {
  expect(
    formatDiagnostic({
      code: "topology.schema",
      file: "t.yaml",
      line: 3,
      column: 9,
      severity: "error",
      message: "cluster.cidr is wrong",
    }),
  ).toBe("t.yaml:3:9: cluster.cidr is wrong");
});

test("a warning says so, and a hint goes on its own line", () => {
  expect(
    formatDiagnostic({
      code: "topology.schema",
      file: "t.yaml",
      line: 1,
      column: 2,
      severity: "warning",
      message: "m",
      hint: "do h",
    }),
  ).toBe("t.yaml:1:2: warning: m\n  hint: do h");
});

test("a block outside the cluster points at the block", () => {
  const text = [
    "apiVersion: netplan-k/v1",
    "name: demo",
    "cluster:",
    "  cidr: 10.244.0.0/16",
    "  mode: vxlan",
    "hosts:",
    "  - name: node-1",
    "    address: 192.168.64.5/24",
    "  - name: node-2",
    "    address: 192.168.64.6/24",
    "    podCidr:",
    "      10.245.1.0/24",
    "",
  ].join("\n");
  expect(messages(text)).toEqual([
    "topology.yaml:12:7: hosts[1].podCidr 10.245.1.0/24 is outside cluster.cidr 10.244.0.0/16\n" +
      "  hint: use a free /24 inside 10.244.0.0/16, such as 10.244.207.0/24, or remove podCidr to have a block allocated",
  ]);
});

test("schema, address and semantic problems are reported together, in file order", () => {
  const text = [
    "apiVersion: netplan-k/v1",
    "name: demo",
    "cluster:",
    "  cidr: 10.244.0.0/16",
    "  mode: host-gw",
    "hosts:",
    "  - name: node-1",
    "    address: 192.168.64.5/24",
    "    podcidr: 10.244.1.0/24",
    "  - name: node-2",
    "    address: 192.168.65.6/24",
    "    podCidr: 10.244.1.7/24",
    "",
  ].join("\n");
  expect(messages(text)).toEqual([
    "topology.yaml:9:5: hosts[0].podcidr is not a known field\n  hint: did you mean podCidr?",
    "topology.yaml:11:14: mode host-gw needs every pair of hosts on one segment, but node-2 (192.168.65.0/24) and node-1 (192.168.64.0/24) are on different subnets\n" +
      "  hint: use mode vxlan or ipip, which cross subnets; vxlan.directRouting or ipip.crossSubnet keep direct routes between hosts of one segment",
    "topology.yaml:12:14: hosts[1].podCidr 10.244.1.7/24 has host bits set; did you mean 10.244.1.0/24?\n" +
      "  hint: a block is written as its network address: every bit past the prefix length is 0",
  ]);
});

test("a block with host bits set does not hide the errors of its workloads", () => {
  const text = [
    "apiVersion: netplan-k/v1",
    "name: demo",
    "cluster: {cidr: 10.244.0.0/16, mode: vxlan}",
    "hosts:",
    "  - name: node-1",
    "    address: 192.168.64.5/24",
    "    podCidr: 10.244.1.5/24",
    "    namespaces: [{name: red, ip: 10.244.2.9}]",
    "",
  ].join("\n");
  expect(messages(text)).toEqual([
    "topology.yaml:7:14: hosts[0].podCidr 10.244.1.5/24 has host bits set; did you mean 10.244.1.0/24?\n" +
      "  hint: a block is written as its network address: every bit past the prefix length is 0",
    "topology.yaml:8:34: hosts[0].namespaces[0].ip 10.244.2.9 is outside node-1's block 10.244.1.0/24\n" +
      "  hint: use an address from 10.244.1.2 to 10.244.1.254",
  ]);
});

test("a hostile name is quoted and escaped, never printed raw", () => {
  const text =
    'apiVersion: netplan-k/v1\nname: "red\\nreboot"\ncluster: {cidr: 10.244.0.0/16, mode: vxlan}\nhosts: [{name: a, address: 192.168.64.5/24}]\n';
  expect(messages(text)).toEqual([
    `topology.yaml:2:7: name "red\\nreboot" is not a valid name: lower-case letters, digits and '-', starting with a letter or digit, at most 32 characters`,
  ]);
});

test("the transport oneOf gives one message for the kind written", () => {
  const text = [
    "apiVersion: netplan-k/v1",
    "name: demo",
    "cluster: {cidr: 10.244.0.0/16, mode: vxlan}",
    "hosts:",
    "  - name: node-1",
    "    address: 192.168.64.5/24",
    "    transport: {kind: netns, name: ns1, user: root}",
    "",
  ].join("\n");
  expect(messages(text)).toEqual([
    "topology.yaml:7:41: hosts[0].transport.user is not a known field\n  hint: known fields here: kind, name",
  ]);
});
