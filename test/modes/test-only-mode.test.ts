import { describe, expect, it } from "vitest";
import { compileTopology, modes } from "../../src/modes/index.js";
import { planTopology, renderPlanText } from "../../src/planner/index.js";
import {
  loadTopologyText,
  type ModeCatalog,
  type ModeFacts,
  type ModeName,
} from "../../src/topology/index.js";
import { gatewayMode } from "./gateway-mode.js";
import { buildHosts, buildTopology } from "./topology-fixture.js";

// A mode is its file in src/modes and its entry in the registry; nothing else in src knows
// it. "tunnel-gw" exists only here: every peer's block through the peer's underlay address at
// metric 200, with an encapsulation of 30 bytes of its own. It is compiled, planned against
// empty hosts and rendered without any file outside src/modes being told about it.

const registry = { ...modes, "tunnel-gw": gatewayMode(200, 30) };
// The schema (the file format) knows no "tunnel-gw": the test builds the topology itself.
const topology = buildTopology({
  mode: "tunnel-gw" as ModeName,
  attach: "bridge",
  hosts: buildHosts(2),
});

describe("a mode registered only in a test", () => {
  it("compiles with its own overhead: the overlay MTU and the underlay it requires", () => {
    const node1 = compileTopology(topology, registry).hosts[0];
    expect(node1?.state.root.links.find((link) => link.name === "cni0")?.mtu).toBe(1470);
    expect(node1?.requirements?.underlay).toMatchObject({
      mtu: 1500,
      overlayMtu: 1470,
      overhead: 30,
      mode: "tunnel-gw",
    });
    expect(node1?.state.root.routes.filter((route) => route.metric === 200)).toEqual([
      expect.objectContaining({ dst: "10.244.2.0/24", via: "192.168.64.12", dev: "eth0" }),
    ]);
  });

  it("plans against empty hosts and renders the plan", () => {
    const plan = planTopology({
      desired: compileTopology(topology, registry),
      observed: "empty",
      against: "empty",
    });
    const text = renderPlanText(plan, { color: false });
    expect(text).toMatch(/\+ route 10\.244\.2\.0\/24 via 192\.168\.64\.12 dev eth0 .*metric 200/);
    expect(text).toMatch(/\+ route 10\.244\.1\.0\/24 via 192\.168\.64\.11 dev eth0 .*metric 200/);
    expect(text).toMatch(/\+ link cni0 .*mtu 1470/);
    expect(plan.hosts.flatMap((host) => [...host.errors, ...host.conflicts])).toEqual([]);
  });
});

describe("the loader", () => {
  const file = (mtu: number): string => `apiVersion: netplan-k/v1
name: facts
cluster: { cidr: 10.9.0.0/16, mode: host-gw, mtu: ${mtu} }
hosts:
  - { name: node-1, address: 192.0.2.1/24 }
`;

  it("judges the MTU with the overhead its caller's modes give, not a table of its own", () => {
    expect(loadTopologyText(file(600), "facts.yaml", modes).ok).toBe(true);
    const heavier = { ...modes, "host-gw": { ...modes["host-gw"], overhead: 30 } };
    const result = loadTopologyText(file(600), "facts.yaml", heavier);
    expect(result.ok ? [] : result.diagnostics.map((d) => d.message)).toEqual([
      "cluster.mtu 600 leaves 570 after host-gw's 30 bytes of encapsulation and is too small: workloads need an MTU of at least 576",
    ]);
  });

  it("runs the settings check of the file's mode, and only that one", () => {
    const checked: string[] = [];
    const watch = (name: string): ModeFacts => ({
      overhead: 0,
      checkSettings: () => (checked.push(name), []),
    });
    const watching = Object.fromEntries(
      Object.keys(modes).map((name) => [name, watch(name)]),
    ) as Record<string, ModeFacts> as ModeCatalog;
    expect(loadTopologyText(file(1500), "facts.yaml", watching).ok).toBe(true);
    expect(checked).toEqual(["host-gw"]);
  });
});
