import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keepHeldAddresses, readOutsideLimit } from "../../src/cli/keep-held-addresses.js";
import type { Output } from "../../src/cli/output.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { loadTopologyFile } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";
import type { Transport } from "../../src/transport/index.js";
import {
  answer,
  createFakeTransport,
  observationText,
  type FakeTransport,
} from "../applier/fake-transport.js";
import { readFixture } from "../observe/fixtures.js";
import { modes } from "../../src/modes/registry.js";

// `plan/apply --limit node-45` on the recorded vxlan-demo cluster (test/fixtures/converged/
// vxlan: node-1, node-2 and node-3 hold 10.1.15.0/24, .16 and .17), written here without
// podCidrs. node-45's home block is 10.1.15.0/24 (slot 15 of 10.1.0.0/16), node-1's is
// 10.1.2.0/24: from names alone node-45 takes the block node-1 holds, and the next full plan
// moves one of them. The hosts outside the limit are read through fake transports answering
// with their recorded observations.

const scratch = mkdtempSync(join(tmpdir(), "netplan-k-outside-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const QUIET: Output = { color: false, interactive: false, out: () => {}, err: () => {} };
const LIMITED = ["node-45"];

/** The cluster file: node-3 pinned as in examples/vxlan.yaml when `pinNode3`. */
async function loadCluster(pinNode3 = false): Promise<Topology> {
  const host = (name: string, octet: number, workload: string) =>
    `  - { name: ${name}, address: 192.168.64.${octet}/24, namespaces: [{ name: ${workload} }] }`;
  const file = join(scratch, `vxlan-demo-${pinNode3 ? "pinned" : "free"}.yaml`);
  writeFileSync(
    file,
    [
      "apiVersion: netplan-k/v1",
      "name: vxlan-demo",
      "cluster: { cidr: 10.1.0.0/16, mode: vxlan, attach: bridge }",
      "hosts:",
      host("node-1", 5, "red"),
      host("node-2", 6, "blue"),
      pinNode3
        ? "  - { name: node-3, address: 192.168.64.7/24, podCidr: 10.1.17.0/24, namespaces: [{ name: green, ip: 10.1.17.2 }] }"
        : host("node-3", 7, "green"),
      host("node-45", 8, "yellow"),
      "",
    ].join("\n"),
  );
  const loaded = await loadTopologyFile(file, modes);
  if (!loaded.ok) throw new Error(`${file} must load`);
  return loaded.topology;
}

/** node-45 as the limited observe sees it: its underlay only. */
const node45 = parseObservation("node-45", observationText({ underlayAddress: "192.168.64.8/24" }));

/** Fake transports for the hosts outside the limit; `unreachable` ones fail their one call. */
function outsideTransports(unreachable: readonly string[] = []) {
  const opened: FakeTransport[] = [];
  const transportsOf = (hosts: readonly string[]): Map<string, Transport> => {
    for (const host of hosts) {
      const recorded = readFixture(`converged/vxlan/${host}.txt`);
      opened.push(
        createFakeTransport(host, [answer(recorded)], {
          ...(unreachable.includes(host) && { failOnCall: 1 }),
        }),
      );
    }
    return new Map(opened.map((t) => [t.host, t]));
  };
  return { opened, transportsOf };
}

const blocksOf = (topology: Topology) =>
  Object.fromEntries(topology.hosts.map((h) => [h.name, h.v4?.podCidr]));

describe("--limit keeps the blocks of the hosts it leaves out", () => {
  it("a limited newcomer does not take the block a live host outside the limit holds", async () => {
    const topology = await loadCluster();
    expect(blocksOf(topology)["node-45"]).toBe("10.1.15.0/24");
    const { opened, transportsOf } = outsideTransports();

    const outside = await readOutsideLimit(
      topology,
      LIMITED,
      { parallelism: 4, output: QUIET },
      transportsOf,
    );
    const kept = await keepHeldAddresses(topology, [node45], outside);

    expect(blocksOf(kept)).toEqual({
      "node-1": "10.1.15.0/24",
      "node-2": "10.1.16.0/24",
      "node-3": "10.1.17.0/24",
      "node-45": "10.1.18.0/24",
    });
    // One read-only round trip per host outside the limit: the observation, nothing else.
    expect(opened.map((t) => [t.host, t.calls.map((c) => c.argv.join(" "))])).toEqual([
      ["node-1", ["sh -s"]],
      ["node-2", ["sh -s"]],
      ["node-3", ["sh -s"]],
    ]);
  });

  it("refuses when a host outside the limit whose block is allocated cannot be read", async () => {
    const topology = await loadCluster();
    const { transportsOf } = outsideTransports(["node-2"]);
    const outside = await readOutsideLimit(
      topology,
      LIMITED,
      { parallelism: 4, output: QUIET },
      transportsOf,
    );
    await expect(keepHeldAddresses(topology, [node45], outside)).rejects.toThrow(
      /^cannot read the blocks node-2 holds \(node-2: .*No route to host.*\); --limit leaves it out, but its block or workload addresses are allocated/,
    );
  });

  it("an unreachable host outside the limit with everything pinned is no reason to refuse", async () => {
    const topology = await loadCluster(true);
    const { transportsOf } = outsideTransports(["node-3"]);
    const outside = await readOutsideLimit(
      topology,
      LIMITED,
      { parallelism: 4, output: QUIET },
      transportsOf,
    );
    expect([...outside.failures.keys()]).toEqual(["node-3"]);
    const kept = await keepHeldAddresses(topology, [node45], outside);
    expect(blocksOf(kept)).toEqual({
      "node-1": "10.1.15.0/24",
      "node-2": "10.1.16.0/24",
      "node-3": "10.1.17.0/24",
      "node-45": "10.1.18.0/24",
    });
  });

  it("without --limit every host was observed already: nothing more is read", async () => {
    const topology = await loadCluster();
    const { opened, transportsOf } = outsideTransports();
    const outside = await readOutsideLimit(
      topology,
      topology.hosts.map((h) => h.name),
      { parallelism: 4, output: QUIET },
      transportsOf,
    );
    expect(outside.observed).toEqual([]);
    expect(opened).toEqual([]);
  });
});
