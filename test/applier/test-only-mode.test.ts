import { describe, expect, it } from "vitest";
import { runApplyPipeline, type ApplyPipelineOutcome } from "../../src/applier/index.js";
import { compileTopology, modes } from "../../src/modes/index.js";
import { loadTopologyText, type ModeName, type Topology } from "../../src/topology/index.js";
import { gatewayMode } from "../modes/gateway-mode.js";
import { answer, applySucceeds, createFakeTransport, observationText } from "./fake-transport.js";

// Adding a mode adds a mode and touches no other folder: a mode that exists only in this test
// ("static": every peer's block through the peer's underlay address at metric 100, no
// encapsulation) is registered here, compiled, planned and applied through the applier's
// pipeline against fake transports. Nothing outside src/modes is told about it.

const registry = { ...modes, static: gatewayMode(100, 0) };

function staticTopology(): Topology {
  const loaded = loadTopologyText(
    `apiVersion: netplan-k/v1
name: static-pair
cluster: { cidr: 10.9.0.0/16, mode: host-gw, attach: routed }
hosts:
  - { name: node-1, address: 192.0.2.1/24, podCidr: 10.9.1.0/24 }
  - { name: node-2, address: 192.0.2.2/24, podCidr: 10.9.2.0/24 }
`,
    "static-pair.yaml",
    modes,
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const topology = loaded.topology;
  // The schema knows no mode "static": the test gives it to the loaded topology.
  return { ...topology, cluster: { ...topology.cluster, mode: "static" as ModeName } };
}

/** What a host holds once converged: forwarding on, and its peer's block at metric 100. */
const convergedObservation = (underlay: string, peerBlock: string, peer: string): string =>
  observationText({
    underlayAddress: underlay,
    routes: [
      { dst: peerBlock, gateway: peer, dev: "eth0", protocol: "77", metric: 100, flags: [] },
    ],
  }).replace("net.ipv4.ip_forward=0", "net.ipv4.ip_forward=1");

describe("a mode registered only in a test", () => {
  it("compiles to its own routes", () => {
    const desired = compileTopology(staticTopology(), registry);
    const node1 = desired.hosts.find((h) => h.host === "node-1");
    expect(node1?.state.root.routes).toEqual([
      {
        dst: "10.9.2.0/24",
        table: 254,
        type: "unicast",
        metric: 100,
        via: "192.0.2.2",
        dev: "eth0",
        onlink: false,
        scope: "global",
        protocol: 77,
      },
    ]);
    expect(node1?.waitFor).toBeUndefined();
    expect(node1?.checks).toBeUndefined();
  });

  it("plans and applies through the pipeline, and verifies", async () => {
    const topology = staticTopology();
    const transports = [
      createFakeTransport("node-1", [
        answer(observationText({ underlayAddress: "192.0.2.1/24" })),
        applySucceeds,
        answer(convergedObservation("192.0.2.1/24", "10.9.2.0/24", "192.0.2.2")),
      ]),
      createFakeTransport("node-2", [
        answer(observationText({ underlayAddress: "192.0.2.2/24" })),
        applySucceeds,
        answer(convergedObservation("192.0.2.2/24", "10.9.1.0/24", "192.0.2.1")),
      ]),
    ];
    const outcome: ApplyPipelineOutcome = await runApplyPipeline({
      verb: "apply",
      topology,
      transports: new Map(transports.map((t) => [t.host, t])),
      desiredOf: async () => compileTopology(topology, registry),
      parallelism: 2,
      confirm: async () => true,
      emit: () => undefined,
    });
    if (outcome.kind !== "applied") throw new Error(JSON.stringify(outcome));
    expect(outcome.results.map((r) => [r.host, r.outcome, r.roundTrips])).toEqual([
      ["node-1", "converged", 3],
      ["node-2", "converged", 3],
    ]);
    expect(transports[0]?.calls[1]?.stdin).toMatch(/10\.9\.2\.0\/24 via 192\.0\.2\.2 .*metric 100/);
    expect(transports[1]?.calls[1]?.stdin).toMatch(/10\.9\.1\.0\/24 via 192\.0\.2\.1 .*metric 100/);
  });
});
