import { readFile, writeFile } from "node:fs/promises";
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

// plan --out, then apply exactly that plan: refused in one format, without printing it, when
// a host or the topology file changed since; refused when made against empty hosts; applied
// as saved otherwise, and recognised as already applied the second time. One lab for all.

const STEP_TIMEOUT_MS = 60_000;

const topology: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "e2e-saved-plan",
  cluster: { cidr: "10.48.0.0/16", mode: "host-gw", attach: "routed" },
  hosts: [labHost("node-1", "192.0.2.81/24", "red"), labHost("node-2", "192.0.2.82/24", "blue")],
  lab: { prefix: "e2sp", sshd: false },
};

const applyFile = (plan: string): Promise<CommandRun> => runCommand(["node", CLI, "apply", plan]);

/** What a run said on stderr besides its per-host progress lines ("node-1: observing"). */
const said = (run: CommandRun): string =>
  run.stderr
    .split("\n")
    .filter((line) => !/^[\w-]+: (observing|observed)$/.test(line))
    .join("\n");

/** The refusal, whatever changed: one line and one hint, nothing on stdout. */
const expectStale = (run: CommandRun, what: string): void => {
  expectExit(run, 1);
  expect(said(run), describeRun(run)).toBe(
    `netplan-k: Saved plan is stale: ${what} changed since the plan was made\n` +
      '  hint: Run "netplan-k plan" again.',
  );
  expect(run.stdout).toBe("");
};

describe("a saved plan", () => {
  const scenario = useLabScenario(topology);
  const planFile = () => join(scenario.dir, "plan.json");

  it(
    "is refused when a host changed since it was made, and nothing is applied",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      expectExit(await scenario.cli(["plan"], ["--out", planFile()]), 0);
      await scenario.inHostOk("node-2", ["ip", "route", "add", "203.0.113.0/24", "dev", "eth0"]);
      expectStale(await applyFile(planFile()), "node-2");
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 2);
      await scenario.inHostOk("node-2", ["ip", "route", "del", "203.0.113.0/24", "dev", "eth0"]);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "is refused in the same format when the topology file changed",
    async () => {
      expectExit(await scenario.cli(["plan"], ["--out", planFile()]), 0);
      const text = await readFile(scenario.file, "utf8");
      await writeFile(scenario.file, `${text}# edited\n`);
      expectStale(await applyFile(planFile()), scenario.file);
      await writeFile(scenario.file, text);
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
    "is applied exactly, without asking, when nothing changed since; a second time it was already applied",
    async () => {
      expectExit(await scenario.cli(["plan"], ["--out", planFile()]), 0);
      const applied = await applyFile(planFile());
      expectExit(applied, 0);
      expect(applied.stdout, describeRun(applied)).toContain("Apply complete");
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
      expectExit(await scenario.cli(["verify"]), 0);
      const again = await applyFile(planFile());
      expectExit(again, 0);
      expect(said(again)).toBe(
        "The saved plan was already applied: every host matches the topology. Nothing was changed.",
      );
      expect(again.stdout).toBe("");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "destroy removes it all; a second destroy says there is nothing left",
    async () => {
      expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
      const again = await scenario.cli(["destroy"], ["--auto-approve"]);
      expectExit(again, 0);
      expect(again.stdout).toBe("Nothing left to destroy.");
    },
    STEP_TIMEOUT_MS,
  );
});
