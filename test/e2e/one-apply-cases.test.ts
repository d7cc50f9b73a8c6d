import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { describeRun, expectExit, useLabScenario, type LabScenario } from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// c01, c07 and c10 of ../shared/cases/real-hosts: a converged 2-host lab (vxlan, attach
// bridge, through the netns transport) put into a state with plain `ip` commands, then ONE
// apply must converge: exit 0, the next plan empty, every path reachable. The cases share
// the lab and run in order.

const STEP_TIMEOUT_MS = 180_000;

const topology = (node2: string, blocks: [string, string]): TopologyFile => ({
  apiVersion: "netplan-k/v1",
  name: "xce-vxlan-cases",
  cluster: { cidr: "10.31.0.0/16", mode: "vxlan", attach: "bridge" },
  hosts: [
    { ...labHost("node-1", "192.0.2.31/24", "red"), podCidr: blocks[0] },
    { ...labHost("node-2", `${node2}/24`, "blue"), podCidr: blocks[1] },
  ],
  lab: { prefix: "xce", sshd: false },
});

const before = topology("192.0.2.32", ["10.31.1.0/24", "10.31.2.0/24"]);
const renumbered = topology("192.0.2.42", ["10.31.1.0/24", "10.31.2.0/24"]);
const swapped = topology("192.0.2.42", ["10.31.2.0/24", "10.31.1.0/24"]);

async function expectConvergedInOneApply(scenario: LabScenario): Promise<void> {
  const apply = await scenario.cli(["apply"], ["--auto-approve"]);
  expectExit(apply, 0);
  expect(apply.stdout, describeRun(apply)).toContain("every host verified");
  expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
  const verify = await scenario.cli(["verify"]);
  expectExit(verify, 0);
  expect(verify.stdout, describeRun(verify)).toContain("2 of 2 paths reachable");
}

describe("one apply converges a changed host (c01, c10, c07)", () => {
  const scenario = useLabScenario(before);

  it(
    "converges the 2-host lab",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      await expectConvergedInOneApply(scenario);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "c01: node-2's underlay address changed; node-1's fdb entry moves in place",
    async () => {
      await scenario.inHostOk("node-2", ["ip", "-4", "addr", "flush", "dev", "eth0"]);
      await scenario.inHostOk("node-2", ["ip", "addr", "add", "192.0.2.42/24", "dev", "eth0"]);
      await scenario.write(renumbered);
      const plan = await scenario.cli(["plan"]);
      expect(plan.stdout, describeRun(plan)).toMatch(
        /~ fdb \S+ dst 192\.0\.2\.42 on flannel\.1 +\(dst 192\.0\.2\.32 → 192\.0\.2\.42\)/,
      );
      expect(plan.stdout).not.toMatch(/- fdb/);
      await expectConvergedInOneApply(scenario);
      const fdb = await scenario.inHostOk("node-1", ["bridge", "fdb", "show", "dev", "flannel.1"]);
      expect(fdb).toContain("dst 192.0.2.42");
      expect(fdb).not.toContain("dst 192.0.2.32");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "c10: the workload's end renamed inside its namespace; apply exits 0 and converges",
    async () => {
      for (const argv of [
        ["ip", "-n", "red", "link", "set", "eth0", "down"],
        ["ip", "-n", "red", "link", "set", "eth0", "name", "eth1"],
        ["ip", "-n", "red", "link", "set", "eth1", "up"],
      ]) {
        await scenario.inHostOk("node-1", argv);
      }
      await expectConvergedInOneApply(scenario);
      const links = await scenario.inHostOk("node-1", ["ip", "-n", "red", "-o", "link"]);
      expect(links).not.toContain("eth1");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "c07: the two hosts swap blocks in one change",
    async () => {
      await scenario.write(swapped);
      const plan = await scenario.cli(["plan"]);
      expect(plan.stdout, describeRun(plan)).not.toContain("conflict");
      await expectConvergedInOneApply(scenario);
      const red = await scenario.inHostOk("node-1", ["ip", "-n", "red", "-4", "-o", "addr"]);
      expect(red).toMatch(/inet 10\.31\.2\.\d+\/24/);
    },
    STEP_TIMEOUT_MS,
  );
});
