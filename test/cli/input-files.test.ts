import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readFixture } from "../observe/fixtures.js";
import { runCli } from "./run-cli.js";

// The three files a user names (a topology, a snapshot, a saved plan): one that is not there
// is said in words, and a snapshot with a value no kernel printed is refused at its line and
// column.

const scratch = mkdtempSync(join(tmpdir(), "netplan-k-inputs-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const missing = join(scratch, "nonexist.json");
const c01Topology = "test/fixtures/real-hosts/c01-peer-underlay-renumbered.yaml";
const c01Snapshot = "c01-converged-before-renumbering.json";

/** stderr must be the one message: no errno code, no stack trace. */
function expectPlainRefusal(run: { exitCode: number; stderr: string }, message: string): void {
  expect(run.exitCode).toBe(1);
  expect(run.stderr).toContain(message);
  expect(run.stderr).not.toMatch(/ENOENT|\n\s+at /);
}

describe("input files", () => {
  it("a missing snapshot, saved plan or topology is named with what is wrong", async () => {
    expectPlainRefusal(
      await runCli(["plan", "examples/vxlan.yaml", "--state", missing]),
      `cannot read snapshot ${missing}: no such file`,
    );
    expectPlainRefusal(
      await runCli(["apply", missing]),
      `cannot read saved plan ${missing}: no such file`,
    );
    expectPlainRefusal(
      await runCli(["plan", join(scratch, "nonexist.yaml")]),
      `${join(scratch, "nonexist.yaml")}:1:1: cannot read the topology: no such file`,
    );
  });

  it("a snapshot with an invalid route destination or a host named twice is refused at its position", async () => {
    const text = readFixture(`real-hosts/${c01Snapshot}`);
    const json = JSON.parse(text) as {
      hosts: { host: string; state: { root: { routes: { dst: string }[] } } }[];
    };
    json.hosts[0]!.state.root.routes[0]!.dst = "10.31.2.0/99";
    const badRoute = join(scratch, "bad-route.json");
    writeFileSync(badRoute, JSON.stringify(json, null, 2));
    const route = await runCli(["plan", c01Topology, "--state", badRoute]);
    expectPlainRefusal(
      route,
      `hosts[0].state.root.routes[0].dst "10.31.2.0/99" is not an IPv4 CIDR (a.b.c.d/n): prefix length /99 is over 32`,
    );
    expect(route.stderr).toMatch(new RegExp(`${badRoute}:\\d+:\\d+: hosts\\[0\\]`));

    const twice = JSON.parse(text) as { hosts: { host: string }[] };
    twice.hosts[1]!.host = twice.hosts[0]!.host;
    const duplicate = join(scratch, "duplicate.json");
    writeFileSync(duplicate, JSON.stringify(twice, null, 2));
    expectPlainRefusal(
      await runCli(["plan", c01Topology, "--state", duplicate]),
      `hosts[1].host "${twice.hosts[0]!.host}" is already hosts[0].host`,
    );
  });

  it("the unedited snapshot plans (no false alarm)", async () => {
    const run = await runCli([
      "plan",
      c01Topology,
      "--state",
      `test/fixtures/real-hosts/${c01Snapshot}`,
    ]);
    expect(run.stderr).not.toContain("is not an IPv4");
    expect(run.stderr).not.toContain("is already");
    expect(run.stdout).toContain("node-1");
  });
});
