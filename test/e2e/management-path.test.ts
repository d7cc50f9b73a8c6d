import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import {
  CLI,
  describeRun,
  expectExit,
  labStateDir,
  runCommand,
  useLabScenario,
} from "./lab-scenario.js";
import { labHost } from "./topologies.js";

// Issue 11, point 4: the management-path guard, over real SSH in a lab of two hosts. The lab's
// ssh client runs in its controller namespace (zg-ctl, 192.0.2.254: the highest free address
// of the first segment). The test makes that client come from 10.47.200.9, an address inside
// node-2's pinned block, as a management network the cluster range overlaps would: the
// controller answers from it (the source of its connected route), and the hosts reach it by a
// default route through the controller. netplan-k would then route 10.47.200.0/24 to node-2
// on node-1, and put 10.47.200.1/24 on node-2's cni0: both take the session's path.

const STEP_TIMEOUT_MS = 120_000;
const CLIENT = "10.47.200.9";
const CONTROLLER = "zg-ctl";

const topology: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: "e2e-management-path",
  cluster: { cidr: "10.47.0.0/16", mode: "host-gw", attach: "bridge" },
  hosts: [
    { ...labHost("node-1", "192.0.2.61/24"), podCidr: "10.47.1.0/24" },
    { ...labHost("node-2", "192.0.2.62/24"), podCidr: "10.47.200.0/24" },
  ],
  lab: { prefix: "zg", sshd: true },
};

const inController = async (argv: readonly string[]) =>
  expectExit(await runCommand(["ip", "-n", CONTROLLER, ...argv]), 0);

describe("the management-path guard over SSH", () => {
  const scenario = useLabScenario(topology);

  it(
    "lab up, and the session moved into node-2's block",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      await inController(["addr", "add", `${CLIENT}/32`, "dev", "eth0"]);
      await inController(
        ["route", "replace", "192.0.2.0/24", "dev", "eth0", "proto", "kernel"].concat([
          "scope",
          "link",
          "src",
          CLIENT,
        ]),
      );
      for (const host of ["node-1", "node-2"]) {
        await scenario.inHostOk(host, ["ip", "route", "add", "default", "via", "192.0.2.254"]);
      }
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "plan and apply refuse both hosts, naming the host, the object and the session",
    async () => {
      const plan = await scenario.cli(["plan"]);
      expectExit(plan, 1);
      expect(plan.stdout, describeRun(plan)).toContain(
        "adding route 10.47.200.0/24 via 192.0.2.62 dev eth0 (it covers 10.47.200.9; the " +
          "session takes route 0.0.0.0/0 via 192.0.2.254 dev eth0 proto boot now) would take " +
          "the path of the SSH session to node-1 (from 10.47.200.9 via eth0 and 192.0.2.254); " +
          "pass --allow-management-change to do it anyway",
      );
      expect(plan.stdout, describeRun(plan)).toMatch(
        /adding address 10\.47\.200\.1\/24 dev cni0 .* would take the path of the SSH session to node-2 \(from 10\.47\.200\.9 via eth0/,
      );
      const apply = await scenario.cli(["apply"], ["--auto-approve"]);
      expectExit(apply, 1);
      expect(apply.stdout, describeRun(apply)).toContain("pass --allow-management-change");
      // Nothing changed: no bridge, no route to the other block.
      expect(await scenario.inHostOk("node-1", ["ip", "-o", "link", "show"])).not.toContain("cni0");
      expect(await scenario.inHostOk("node-1", ["ip", "route"])).not.toContain("10.47.200.0/24");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "plan --state refuses the same from a snapshot",
    async () => {
      const observe = await scenario.cli(["observe"]);
      expectExit(observe, 0);
      const snapshot = join(scenario.dir, "state.json");
      await writeFile(snapshot, observe.stdout);
      const plan = await scenario.cli(["plan"], ["--state", snapshot]);
      expectExit(plan, 1);
      expect(plan.stdout, describeRun(plan)).toContain(
        "would take the path of the SSH session to node-1 (from 10.47.200.9 via eth0 and 192.0.2.254)",
      );
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "--allow-management-change plans it with a warning; a plan saved so is refused by apply without the flag",
    async () => {
      // Not applied: it would cut the session, which is what the guard is for.
      const planFile = join(scenario.dir, "allowed-plan.json");
      const plan = await scenario.cli(
        ["plan"],
        ["--allow-management-change", "--detailed-exitcode", "--out", planFile],
      );
      expectExit(plan, 2);
      expect(plan.stdout, describeRun(plan)).not.toContain("conflict");
      expect(plan.stderr, describeRun(plan)).toContain(
        "warning: --allow-management-change: changes to the path of a host's SSH session are planned, not refused. apply and destroy take the flag only with --confirm-timeout",
      );
      const saved = await runCommand(["node", CLI, "apply", planFile]);
      expectExit(saved, 1);
      expect(saved.stdout, describeRun(saved)).toContain(
        "would take the path of the SSH session to node-1",
      );
      expect(await scenario.inHostOk("node-1", ["ip", "route"])).not.toContain("10.47.200.0/24");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "nothing secret is printed or written: the lab's private key, SSH_AUTH_SOCK",
    async () => {
      const key = await readFile(join(labStateDir("zg"), "ssh", "id_ed25519"), "utf8");
      // Every line of the key's body, each long enough never to occur by chance.
      const secrets = key
        .split("\n")
        .filter((line) => line.length >= 20 && !line.startsWith("-----"));
      expect(secrets.length).toBeGreaterThan(0);
      const agent = process.env["SSH_AUTH_SOCK"];
      if (agent !== undefined && agent !== "") secrets.push(agent);
      const planFile = join(scenario.dir, "plan.json");
      const runs = [
        await scenario.cli(["plan"], ["-o", "json", "--debug"]),
        await scenario.cli(["plan"], ["--allow-management-change", "--out", planFile, "--debug"]),
        await scenario.cli(["apply"], ["--auto-approve", "--debug"]),
        await scenario.cli(["apply"], ["--auto-approve", "-o", "json", "--debug"]),
        await scenario.cli(["observe"], ["--debug"]),
      ];
      expect(runs.map((run) => run.exitCode)).toEqual([1, 0, 1, 1, 0]);
      const written = [
        ...runs.flatMap((run) => [run.stdout, run.stderr]),
        await readFile(planFile, "utf8"),
      ].join("\n");
      expect(written.length).toBeGreaterThan(1000);
      for (const secret of secrets)
        expect(written.includes(secret), "a secret was printed").toBe(false);
      expect(written).not.toMatch(/PRIVATE KEY|SSH_AUTH_SOCK/);
    },
    STEP_TIMEOUT_MS,
  );
});
