import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { renderSnapshot, SNAPSHOT_FORMAT_VERSION } from "../../src/observe/snapshot.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import { observeConvergedTo } from "../planner/converged-hosts.js";
import { runCli } from "./run-cli.js";
import { modes } from "../../src/modes/registry.js";

const scratch = mkdtempSync(join(tmpdir(), "netplan-k-held-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * node-2 and node-4 have one home block (slot 3 of 10.244.0.0/22). A cluster of node-4
 * alone gives node-4 10.244.3.0/24; adding node-2, which comes first in code-unit order,
 * would take that block from names alone. Live, node-4 keeps it and node-2 probes on.
 */
const topologyWith = (hosts: readonly string[]): string =>
  [
    "apiVersion: netplan-k/v1",
    "name: held",
    "cluster: { cidr: 10.244.0.0/22, mode: vxlan }",
    "hosts:",
    ...hosts.map(
      (name) =>
        `  - { name: ${name}, address: 192.0.2.${name.slice(-1)}/24, namespaces: [{ name: ${name === "node-4" ? "red" : "blue"} }] }`,
    ),
  ].join("\n");

describe("plan keeps the block a live host holds (c12)", () => {
  it("adding a host whose name's block a live host holds moves nothing on the live host", async () => {
    const before = loadTopologyText(topologyWith(["node-4"]), "before.yaml", modes);
    if (!before.ok) throw new Error("the one-host topology must load");
    expect(before.topology.hosts[0]?.v4?.podCidr).toBe("10.244.3.0/24");
    const grownText = topologyWith(["node-2", "node-4"]);
    const grownTopology = loadTopologyText(grownText, "grown.yaml", modes);
    if (!grownTopology.ok) throw new Error("the two-host topology must load");
    // node-4 converged to the one-host topology: it holds exactly what that compiles to;
    // node-2 holds nothing yet but its underlay.
    const snapshot = scratchFile(
      "state.json",
      renderSnapshot({
        formatVersion: SNAPSHOT_FORMAT_VERSION,
        topology: "held",
        hosts: observeConvergedTo(before.topology, grownTopology.topology.hosts),
      }),
    );
    const grown = scratchFile("grown.yaml", grownText);

    // From names alone node-2 takes 10.244.3.0/24 and node-4 would move.
    const offline = await runCli(["validate", grown]);
    expect(offline.stdout).toMatch(/node-2 .* 10\.244\.3\.0\/24 \(allocated\)/);

    const run = await runCli(["plan", grown, "--state", snapshot, "-o", "json"]);
    expect(run.stderr).toBe("");
    const plan = JSON.parse(run.stdout) as {
      hosts: { host: string; changes: { action: string; key: string }[] }[];
    };
    const changesOf = (host: string) => plan.hosts.find((h) => h.host === host)?.changes ?? [];
    // node-4 only gains its new peer; nothing it holds changes or goes.
    expect(changesOf("node-4").length).toBeGreaterThan(0);
    expect(changesOf("node-4").filter((c) => c.action !== "create")).toEqual([]);
    const node2 = changesOf("node-2").map((c) => c.key);
    expect(node2).toContain("cni0/10.244.0.1/24");
    expect(node2.some((key) => key.includes("10.244.3.0/24"))).toBe(true);
  });
});

function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}
