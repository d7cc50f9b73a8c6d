import { execa } from "execa";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { renderArmScript } from "../../src/applier/armed-revert-script.js";
import { describe, expect, it } from "vitest";
import type { Snapshot } from "../../src/observe/snapshot.js";
import { fingerprintOwnedState } from "../../src/planner/rollback-target.js";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { CLI, describeRun, expectExit, runCommand, useLabScenario } from "./lab-scenario.js";
import { labHost, withWorkloads } from "./topologies.js";

// Issue 11, point 3: apply --confirm-timeout over real SSH, in a lab of two host-gw hosts with
// an sshd each (the lab's ssh client runs from its controller namespace zv-ctl). Each change
// adds a workload on node-1 (a namespace, a veth, its address and route), so only node-1
// changes. (a) a run that verifies confirms over a new connection and nothing reverts later;
// (b) a run whose controller loses node-1 (its path cut in zv-ctl, then the controller
// SIGKILLed) once node-1 is being built: node-1 puts itself back, no controller, compared
// with `netplan-k observe` before (the owned part fingerprinted, rollback-target.ts) and
// node-1's foreign objects listed with ip; (c) meanwhile plan names the armed revert; (d) once
// it fired, plan reports it and the next apply reports it once and clears its record.

const STEP_TIMEOUT_MS = 120_000;
const REVERT = "/run/netplan-k/revert";
const NODE_1 = "192.0.2.111";
const CONTROLLER = "zv-ctl";
const OWNER = { topology: "e2e-confirm-timeout", clusterCidr: "10.66.0.0/16" };

const base: TopologyFile = {
  apiVersion: "netplan-k/v1",
  name: OWNER.topology,
  cluster: { cidr: OWNER.clusterCidr, mode: "host-gw", attach: "bridge" },
  hosts: [labHost("node-1", `${NODE_1}/24`, "red"), labHost("node-2", "192.0.2.112/24", "blue")],
  lab: { prefix: "zv", sshd: true },
};
const TEST_OWNER = {
  run: "feedbeef",
  user: "tester",
  controller: "zv",
  pid: 1,
  since: "2026-11-30T00:00:00.000Z",
  verb: "apply",
};
const withNode1 = (...workloads: string[]) => withWorkloads(base, "node-1", workloads);

describe("apply --confirm-timeout over SSH", () => {
  const scenario = useLabScenario(base);

  /** node-1's owned state, fingerprinted, as `netplan-k observe` shows it now. */
  const ownedNode1 = async (): Promise<string> => {
    const observed = await scenario.cli(["observe"]);
    expectExit(observed, 0);
    const snapshot = JSON.parse(observed.stdout) as Snapshot;
    const node1 = snapshot.hosts.find((h) => h.host === "node-1");
    if (node1 === undefined) throw new Error("node-1 was not observed");
    return fingerprintOwnedState(OWNER, node1.state);
  };
  const foreignOnNode1 = async () => [
    await scenario.inHostOk("node-1", ["ip", "-j", "-d", "link", "show", "dev", "zvforeign"]),
    await scenario.inHostOk("node-1", ["ip", "-j", "route", "show", "203.0.113.0/24"]),
  ];
  /** The command lines of node-1's processes that are a revert's timer. */
  const timersOn = async (namespace: string): Promise<string[]> => {
    const pids = await runCommand(["ip", "netns", "pids", namespace]);
    const lines: string[] = [];
    for (const pid of pids.stdout.split("\n").filter((p) => p !== "")) {
      const cmdline = await runCommand(["cat", `/proc/${pid}/cmdline`]);
      if (cmdline.stdout.includes(`${REVERT}/timer.sh`)) lines.push(cmdline.stdout);
    }
    return lines;
  };
  const revertFiles = async () =>
    (await scenario.inHost("node-1", ["ls", REVERT])).stdout.split("\n").filter((f) => f !== "");

  it(
    "lab up, foreign objects on node-1, a first apply; --allow-management-change alone is refused",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      await scenario.inHostOk("node-1", ["ip", "link", "add", "zvforeign", "type", "bridge"]);
      await scenario.inHostOk("node-1", ["ip", "route", "add", "blackhole", "203.0.113.0/24"]);
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
      const alone = await scenario.cli(["apply"], ["--auto-approve", "--allow-management-change"]);
      expectExit(alone, 1);
      expect(alone.stderr).toContain("--allow-management-change needs --confirm-timeout");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "(a) a run that verifies confirms over a new connection: disarmed, nothing reverts after the timeout",
    async () => {
      await scenario.write(withNode1("red", "green"));
      const started = Date.now();
      const apply = await scenario.cli(["apply"], ["--auto-approve", "--confirm-timeout", "8s"]);
      expectExit(apply, 0);
      expect(apply.stderr, describeRun(apply)).toMatch(
        /node-1: revert armed: \d+ changes, fires in 8 s unless confirmed/,
      );
      expect(apply.stderr).toContain("node-1: confirmed over a new connection: revert disarmed");
      // node-2 does not change: nothing is armed there.
      expect(apply.stderr).not.toContain("node-2: revert");
      expect(await revertFiles()).toEqual([]);
      expect(await timersOn("zv-node-1")).toEqual([]);
      const built = await ownedNode1();
      // Past the timeout (armed after the run started): the only way to see that nothing fires.
      await sleep(Math.max(0, started + 9_000 - Date.now()));
      expect(await ownedNode1()).toBe(built);
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "(b, c) the controller loses node-1 mid-apply and is killed: plan names the armed revert, and node-1 puts itself back",
    async () => {
      const before = await ownedNode1();
      const foreign = await foreignOnNode1();
      // 15 s: under load the plan below came after a 6 s revert had fired (load 10), and
      // while a 10 s one was firing (load 20).
      // Only additions: a removed workload's veth is what a revert cannot recreate (its other
      // end is not observed), so a kill after the removals would leave that difference.
      await scenario.write(withNode1("red", "green", "yellow"));
      const child = execa(
        "node",
        [CLI, "apply", scenario.file, "--auto-approve", "--confirm-timeout", "15s"],
        { reject: false, stdin: "ignore", env: { NO_COLOR: "1" } },
      );
      try {
        // Wait until node-1 is being built (its new workload exists), then cut the
        // controller's path to it and kill the controller: no confirmation can come.
        let built = false;
        const deadline = Date.now() + 60_000;
        while (!built && child.exitCode === null && Date.now() < deadline) {
          const listed = await scenario.inHost("node-1", ["ip", "netns", "list"]);
          built = listed.stdout.includes("yellow");
        }
        if (!built) {
          const ended = await child;
          expect.fail(`node-1 never got its new workload:\n${ended.stdout}\n${ended.stderr}`);
        }
        await runCommand(["ip", "-n", CONTROLLER, "route", "add", "blackhole", `${NODE_1}/32`]);
        child.kill("SIGKILL");
        const killed = await child;
        expect(killed.stderr).not.toContain("confirmed over");
      } finally {
        child.kill("SIGKILL");
        await runCommand(["ip", "-n", CONTROLLER, "route", "del", "blackhole", `${NODE_1}/32`]);
      }

      // (c) The next run sees it: plan names the host, who armed it, and when it fires.
      const plan = await scenario.cli(["plan"]);
      expectExit(plan, 1);
      expect(plan.stdout, describeRun(plan)).toMatch(
        /a confirm-timeout revert is armed by \S+@\S+ \(pid \d+, run [0-9a-f]+\) since \S+; it (fires at \d\d:\d\d:\d\d UTC \(in \d+ s\)|is firing now)/,
      );

      // node-1 reverts by itself: wait for the fired record's exit status.
      let fired = "";
      for (let waited = 0; waited < 20_000 && !fired.includes("status="); waited += 250) {
        await sleep(250);
        fired = (await scenario.inHost("node-1", ["cat", `${REVERT}/fired`])).stdout;
      }
      expect(fired, "the revert never fired").toContain("status=");
      expect(await timersOn("zv-node-1")).toEqual([]);
      expect(await ownedNode1()).toBe(before);
      expect(await foreignOnNode1()).toEqual(foreign);
      expect(await scenario.inHostOk("node-1", ["ip", "netns", "list"])).not.toContain("yellow");
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "(d) the revert that fired: plan reports it and leaves its record, the next apply reports it once, converges and clears it",
    async () => {
      const firedLine =
        /the confirm-timeout revert of run [0-9a-f]+ \(armed by \S+@\S+\) fired at \d\d:\d\d:\d\d UTC and restored the state before that run/g;
      const count = (run: { stdout: string; stderr: string }) =>
        (run.stdout + run.stderr).match(firedLine)?.length ?? 0;
      // plan: under node-1, nothing in the way (yellow is to be added again), the record kept.
      const plan = await scenario.cli(["plan"]);
      expectExit(plan, 0);
      expect(count(plan), describeRun(plan)).toBe(1);
      expect(plan.stdout).toMatch(/^node-1:\n {2}! the confirm-timeout revert of run/m);
      expect(await revertFiles()).toContain("fired");
      // Nothing blocks the next run: it converges (breaking the killed run's lock), says the
      // revert fired once (its event, not the plan again), and clears the record.
      const next = await scenario.cli(["apply"], ["--auto-approve", "--confirm-timeout", "30s"]);
      expectExit(next, 0);
      expect(count(next), describeRun(next)).toBe(1);
      expect(next.stderr).toContain("node-1: confirmed over a new connection");
      expect(await revertFiles()).toEqual([]);
      const after = await scenario.cli(["plan"], ["--detailed-exitcode"]);
      expectExit(after, 0);
      expect(count(after), describeRun(after)).toBe(0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "lab down kills an armed revert's timer",
    async () => {
      // Armed as a run arms it (the same script), without a run that would confirm it.
      const script = join(scenario.dir, "arm.sh");
      await writeFile(
        script,
        renderArmScript({ owner: TEST_OWNER, revertScript: "exit 0\n", timeoutSeconds: 60 }),
      );
      await scenario.inHostOk("node-1", ["sh", script]);
      expect(await timersOn("zv-node-1")).toHaveLength(1);
      expectExit(await scenario.cli(["lab", "down"]), 0);
      // Killed processes are gone once reaped: wait for that, a few seconds at most.
      const timerAnywhere = () => runCommand(["pgrep", "-f", `${REVERT}/timer.sh`]);
      for (let waited = 0; waited < 5_000 && (await timerAnywhere()).exitCode === 0;) {
        await sleep(100);
        waited += 100;
      }
      expect((await timerAnywhere()).stdout).toBe("");
    },
    STEP_TIMEOUT_MS,
  );
});
