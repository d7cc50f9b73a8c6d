import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileTopology } from "../../src/modes/compile.js";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { renderSnapshot } from "../../src/observe/snapshot.js";
import { planTopology } from "../../src/planner/plan-topology.js";
import { loadTopologyFile } from "../../src/topology/load-topology.js";
import { runCli } from "../cli/run-cli.js";
import { modes } from "../../src/modes/registry.js";

// Proof that the model matches the kernel: test/fixtures/converged/<example>/ holds the state
// of each host after building the example by hand with plain ip commands that follow
// docs/kernel-layout.md (scripts/record-fixtures.sh), recorded with the observation script.
// Planning the example against that state must find nothing to do.
const scratch = mkdtempSync(join(tmpdir(), "netplan-k-converged-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.each(["host-gw", "vxlan"])("examples/%s.yaml against its converged fixture", (example) => {
  const dir = `test/fixtures/converged/${example}`;
  const observed = readdirSync(dir)
    .filter((f) => f.endsWith(".txt"))
    .map((f) => parseObservation(f.replace(/\.txt$/, ""), readFileSync(join(dir, f), "utf8")));

  it("plans no change on any host", async () => {
    const loaded = await loadTopologyFile(`examples/${example}.yaml`, modes);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const desired = compileTopology(loaded.topology);
    expect(observed.map((o) => o.host).sort()).toEqual(desired.hosts.map((h) => h.host).sort());
    const plan = planTopology({ desired, observed, against: "snapshot" });
    for (const host of plan.hosts) {
      expect(host.errors, host.host).toEqual([]);
      expect(host.conflicts, host.host).toEqual([]);
      expect(host.changes, host.host).toEqual([]);
    }
  });

  it("exits 0 from plan --state --detailed-exitcode, and 2 once a host drifts", async () => {
    const loaded = await loadTopologyFile(`examples/${example}.yaml`, modes);
    if (!loaded.ok) throw new Error("invalid example");
    const state = join(scratch, `${example}.json`);
    writeFileSync(
      state,
      renderSnapshot({ formatVersion: 1, topology: loaded.topology.name, hosts: observed }),
    );
    const clean = await runCli([
      "plan",
      `examples/${example}.yaml`,
      "--state",
      state,
      "--detailed-exitcode",
    ]);
    expect(clean.stderr).toBe("");
    expect(clean.stdout).toContain("No changes.");
    expect(clean.exitCode).toBe(0);

    // Drift: the first host lost its first owned route.
    const [first, ...rest] = observed;
    if (first === undefined) throw new Error("no hosts");
    const routes = first.state.root.routes;
    const lost = routes.findIndex((r) => r.protocol === 77);
    const drifted = {
      ...first,
      state: {
        ...first.state,
        root: { ...first.state.root, routes: routes.filter((_, i) => i !== lost) },
      },
    };
    writeFileSync(
      state,
      renderSnapshot({
        formatVersion: 1,
        topology: loaded.topology.name,
        hosts: [drifted, ...rest],
      }),
    );
    const drift = await runCli([
      "plan",
      `examples/${example}.yaml`,
      "--state",
      state,
      "--detailed-exitcode",
    ]);
    expect(drift.stdout).toContain(routes[lost]?.dst);
    expect(drift.stdout).toContain("Plan: 1 to add, 0 to change, 0 to destroy on 1 host.");
    expect(drift.exitCode).toBe(2);
  });
});
