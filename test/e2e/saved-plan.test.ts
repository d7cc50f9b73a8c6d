import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import {
  CLI,
  describeRun,
  expectExit,
  runCommand,
  useLabScenario,
  type CommandRun,
} from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// plan --out, then apply exactly that plan: refused when a host or the topology file changed
// since, applied as saved otherwise.

const STEP_TIMEOUT_MS = 60_000;

const topology: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "e2e-saved-plan",
  cluster: { cidr: "10.48.0.0/16", mode: "host-gw", attach: "routed" },
  hosts: [labHost("node-1", "192.0.2.81/24", "red"), labHost("node-2", "192.0.2.82/24", "blue")],
  lab: { prefix: "e2sp", sshd: false },
};

const applyFile = (plan: string): Promise<CommandRun> => runCommand(["node", CLI, "apply", plan]);

describe("a saved plan", () => {
  const scenario = useLabScenario(topology);
  const planFile = () => join(scenario.dir, "plan.json");

  it(
    "is refused when a host changed since it was made, and nothing is applied",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      expectExit(await scenario.cli(["plan"], ["--out", planFile()]), 0);
      await scenario.inHostOk("node-1", ["ip", "route", "add", "203.0.113.0/24", "dev", "eth0"]);
      const stale = await applyFile(planFile());
      expectExit(stale, 1);
      expect(stale.stderr).toContain(
        'Saved plan is stale: node-1 changed since the plan was made\n  hint: Run "netplan-k plan" again.',
      );
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 2);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "is refused when the topology file changed since it was made",
    async () => {
      expectExit(await scenario.cli(["plan"], ["--out", planFile()]), 0);
      await scenario.write({ ...topology, cluster: { ...topology.cluster, mtu: 1400 } });
      const stale = await applyFile(planFile());
      expectExit(stale, 1);
      expect(stale.stderr).toContain("changed since the plan was made");
      await scenario.write(topology);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "made against empty hosts cannot be applied",
    async () => {
      expectExit(await scenario.cli(["plan"], ["--empty", "--out", planFile()]), 0);
      const refused = await applyFile(planFile());
      expectExit(refused, 1);
      expect(refused.stderr).toContain("planned against empty hosts");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "is applied exactly, without asking, when nothing changed since",
    async () => {
      expectExit(await scenario.cli(["plan"], ["--out", planFile()]), 0);
      const applied = await applyFile(planFile());
      expectExit(applied, 0);
      expect(applied.stdout, describeRun(applied)).toContain("Apply complete");
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
      expectExit(await scenario.cli(["verify"]), 0);
      expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
    },
    STEP_TIMEOUT_MS,
  );
});
