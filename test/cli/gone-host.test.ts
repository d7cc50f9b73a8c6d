import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseObservation } from "../../src/observe/parse-observation.js";
import { renderSnapshot } from "../../src/observe/snapshot.js";
import { runCli } from "./run-cli.js";

// node-3 is taken out of examples/vxlan.yaml: node-1 and node-2 (test/fixtures/converged/vxlan,
// recorded from namespaces, see test/fixtures/README.md) still hold their paths to it.
const scratch = mkdtempSync(join(tmpdir(), "netplan-k-qu-gone-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const fixtures = "test/fixtures/converged/vxlan";
const remaining = ["node-1", "node-2"].map((host) =>
  parseObservation(host, readFileSync(join(fixtures, `${host}.txt`), "utf8")),
);
const state = join(scratch, "state.json");
writeFileSync(
  state,
  renderSnapshot({ formatVersion: 1, topology: "vxlan-demo", hosts: remaining }),
);
const example = readFileSync("examples/vxlan.yaml", "utf8");
const withoutNode3 = join(scratch, "two-hosts.yaml");
writeFileSync(withoutNode3, example.slice(0, example.indexOf("  - name: node-3")));
const all = join(scratch, "three-hosts.yaml");
writeFileSync(all, example);

describe("a host removed from the topology", () => {
  it("is named in the plan, with what it keeps and what to do", async () => {
    const run = await runCli(["plan", withoutNode3, "--state", state]);
    expect(run.exitCode).toBe(0);
    const warning = run.stdout.split("\n").find((line) => line.startsWith("! "));
    expect(warning).toBe(
      "! 192.168.64.7 is no host of this topology, but node-1, node-2 still hold netplan-k's " +
        "routes to 10.1.17.0/24 through it: a host removed from the topology keeps everything " +
        "netplan-k built on it (links, namespaces, routes), since netplan-k no longer contacts " +
        "it. This plan removes those paths from the hosts that remain. To clean the removed " +
        `host too, put it back in the topology and run netplan-k destroy ${withoutNode3} ` +
        "--limit <host> before removing it.",
    );
    // The warning comes before the summary line.
    expect(run.stdout.indexOf(warning ?? "")).toBeLessThan(run.stdout.indexOf("Plan: "));
  });

  it("is a warning in the markdown plan too", async () => {
    const run = await runCli(["plan", withoutNode3, "--state", state, "-o", "markdown"]);
    expect(run.stdout).toContain("> [!WARNING]\n> 192.168.64.7 is no host of this topology");
  });

  it("is not claimed while every host is in the topology", async () => {
    // node-3 is in the file but not in the snapshot: its peers' paths are kept, no warning.
    const run = await runCli(["plan", all, "--state", state]);
    expect(run.stdout).not.toContain("is no host of this topology");
  });
});
