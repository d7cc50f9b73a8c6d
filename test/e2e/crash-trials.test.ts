import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import { seededRandom } from "../applier/state-mutations.js";
import {
  CRASH_PHASES,
  KILL_WINDOW_MS,
  killApplyDuring,
  type CrashLanding,
  type CrashVariant,
} from "./crash-trial.js";
import { recordForeignObjects, seedForeignObjects } from "./foreign-objects.js";
import { runInterruptedFrom } from "./interrupted-run.js";
import { describeRun, expectExit, useLabScenario, type CommandRun } from "./lab-scenario.js";
import { listOwnedObjects } from "./owned-objects.js";
import { labHost } from "./topologies.js";

// Issue 11, point 5: the controller killed with SIGKILL at random points of an apply, in one
// two-host BGP lab (BIRD in each host, so every apply has a BGP wait), reused by every trial:
// first over the netns transport, then over the lab's own sshd (the same lab with an sshd
// started in each host: the killed run leaves its ssh master and the scripts it sent through
// it behind). Each apply swaps every host's workload for another one, so each has a build, a
// wait, a removal and a verification to be killed in. After each kill the next apply must
// converge with no help: the killed run's locks are broken (its pid is gone from this
// machine, and its last script has ended on the host: host-lock-script.ts), nothing it built
// is taken for someone else's, no host is left differing from the topology (apply's own
// verification finds nothing), the workloads reach each other (verify), and the foreign objects planted in
// node-1 read the same, byte for byte.
//
// NETPLAN_K_CRASH_TRIALS (default 20) and NETPLAN_K_CRASH_SSHD_TRIALS (default 5), each spread
// evenly over the phases, and NETPLAN_K_CRASH_SEED (default a fixed seed; "random" draws one,
// printed) choose the trials; scripts/crash-soak.sh runs many by hand.

const STEP_TIMEOUT_MS = 120_000;
const DEFAULT_SEED = 20261130;
const netnsTrials = Number(process.env["NETPLAN_K_CRASH_TRIALS"] ?? 20);
const sshdTrials = Number(process.env["NETPLAN_K_CRASH_SSHD_TRIALS"] ?? 5);
const seedSetting = process.env["NETPLAN_K_CRASH_SEED"];
const seed =
  seedSetting === "random"
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(seedSetting ?? DEFAULT_SEED);

/** The ways apply runs in the trials (confirm-or-revert adds its own here). */
const VARIANTS: readonly CrashVariant[] = [{ name: "plain", flags: [] }];

const withWorkloads = (sshd: boolean, one: string, two: string): TopologyFile => ({
  apiVersion: "netplan-k/v1",
  name: "e2e-crash",
  cluster: { cidr: "10.73.0.0/16", mode: "bgp", attach: "bridge" },
  hosts: [labHost("node-1", "192.0.2.181/24", one), labHost("node-2", "192.0.2.182/24", two)],
  lab: { prefix: "zk", sshd },
});
/** Two topologies that swap every workload: each apply builds and removes on both hosts. */
const sidesOver = (sshd: boolean) =>
  [withWorkloads(sshd, "red", "blue"), withWorkloads(sshd, "pink", "green")] as const;

const LOCK = "/run/netplan-k/lock";
const HOSTS = ["node-1", "node-2"] as const;

describe("crash trials and interruptions: the controller killed or stopped during an apply", () => {
  const scenario = useLabScenario(sidesOver(false)[0]);
  /** Which of the two sides the topology file holds now, and over which transport. */
  let side = 0;
  let sshd = false;
  /** Writes the other side: the next apply builds and removes on both hosts. */
  const swapSides = async () => {
    side = 1 - side;
    await scenario.write(sidesOver(sshd)[side] as TopologyFile);
  };
  let foreign: Awaited<ReturnType<typeof recordForeignObjects>> | undefined;
  const expectForeignUnchanged = async (said: string) =>
    expect(await recordForeignObjects(scenario, "node-1", "192.0.2.181"), said).toEqual(foreign);

  /**
   * The checks after a kill or an interruption: the next apply converges with nothing taken
   * for someone else's and no lock in the way, and says that no host differs from the
   * topology (a host it changed was observed again and diffed empty: "every host verified";
   * a host it left alone had an empty plan), the foreign objects read the same. apply's own
   * verification is the plan a `plan --detailed-exitcode` run would make, one process and
   * one observation of every host cheaper.
   */
  const expectNextApplyConverges = async (said: string): Promise<void> => {
    const next = await scenario.cli(["apply"], ["--auto-approve"]);
    const both = `${said}\n${describeRun(next)}`;
    expect(next.exitCode, both).toBe(0);
    expect(next.stdout + next.stderr, both).not.toMatch(/not netplan-k's|conflict|is locked/);
    expect(next.stdout, both).toMatch(
      /Apply complete: \d+ changes? on \d+ hosts?, every host verified\.|No changes\. Every host matches the topology\./,
    );
    await expectForeignUnchanged(both);
  };

  it(
    "lab up, foreign objects in node-1, a first apply",
    async () => {
      expectExit(await scenario.cli(["lab", "up"]), 0);
      await seedForeignObjects(scenario, "node-1", "192.0.2.181");
      foreign = await recordForeignObjects(scenario, "node-1", "192.0.2.181");
      expectExit(await scenario.cli(["apply"], ["--auto-approve"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  /**
   * `trials` kills, aimed at the phases in turn, each followed by the checks above (the
   * random delays drawn from `random`); verify once at the end. Prints, and returns, how many
   * landed in each phase.
   */
  const runTrials = async (
    trials: number,
    random: ReturnType<typeof seededRandom>,
  ): Promise<Map<CrashLanding["landed"], number>> => {
    const transport = sshd ? "sshd" : "netns";
    const landings = new Map<CrashLanding["landed"], number>();
    for (let index = 0; index < trials; index++) {
      const aim = CRASH_PHASES[index % CRASH_PHASES.length] as (typeof CRASH_PHASES)[number];
      const delayMs = random.below(KILL_WINDOW_MS[aim]);
      const variant = VARIANTS[index % VARIANTS.length] as CrashVariant;
      const trial = `${transport} trial ${index} (seed ${seed}, ${variant.name}): killed ${delayMs} ms into ${aim}`;
      await swapSides();
      const { landed, run: killed } = await killApplyDuring({
        file: scenario.file,
        aim,
        delayMs,
        variant,
      });
      landings.set(landed, (landings.get(landed) ?? 0) + 1);
      const said = `${trial}, landed in ${landed}\n${describeRun(killed)}`;
      await expectNextApplyConverges(said);
    }
    // verify pings every workload from every other: once at the end, the trials' last state.
    expectExit(await scenario.cli(["verify"]), 0);
    const counts = [...CRASH_PHASES, "rollback", "finished"]
      .map((phase) => `${phase} ${landings.get(phase as CrashLanding["landed"]) ?? 0}`)
      .join(", ");
    console.log(
      `crash trials over ${transport} (seed ${seed}): ${trials} kills landed in: ${counts}`,
    );
    return landings;
  };

  // One draw for both sets, so a seed replays both.
  const random = seededRandom(seed);

  it(
    `${netnsTrials} kills over netns spread over every phase; each time the next apply converges (seed ${seed})`,
    async () => {
      const landings = await runTrials(netnsTrials, random);
      for (const phase of CRASH_PHASES) {
        expect(landings.get(phase) ?? 0, `no netns kill landed in ${phase}`).toBeGreaterThan(0);
      }
    },
    netnsTrials * 30_000,
  );

  it(
    `${sshdTrials} kills over the lab's sshd, one aimed at each phase; each time the next apply converges (seed ${seed})`,
    async () => {
      // The same lab and topology with an sshd in each host: lab up starts them.
      sshd = true;
      await scenario.write(sidesOver(sshd)[side] as TopologyFile);
      expectExit(await scenario.cli(["lab", "up"]), 0);
      const landings = await runTrials(sshdTrials, random);
      // Few trials: each kill must at least land inside the run, not after it.
      expect(landings.get("finished") ?? 0, "an sshd kill came after the run ended").toBe(0);
    },
    STEP_TIMEOUT_MS + sshdTrials * 30_000,
  );

  // Interruptions (point 7), over sshd too, each signal sent from inside node-1's own script
  // (interrupted-run.ts): the run stops at a safe point, says per host where it was left, and
  // releases every lock; the same command run again finishes the work.

  const expectNoLockLeft = async (said: string) => {
    for (const host of HOSTS) {
      const owner = await scenario.inHost(host, ["cat", `${LOCK}/owner`]);
      expect(owner.exitCode, `a lock is left on ${host}: ${owner.stdout}\n${said}`).not.toBe(0);
    }
  };
  /** `exitStatus`: 128 + the signal's number, as a shell reports it (SIGINT 130, SIGTERM 143). */
  const expectStoppedSafely = async (run: CommandRun, verb: string, exitStatus: 130 | 143) => {
    const said = describeRun(run);
    expect(run.exitCode, said).toBe(exitStatus);
    expect(run.stderr, said).toContain("Interrupt received");
    expect(run.stderr, said).toContain(`${verb} interrupted; where each host was left:`);
    for (const host of HOSTS) {
      expect(run.stderr, said).toMatch(
        new RegExp(`^ {2}${host}: (unchanged|built|every change ran|converged|failed)`, "m"),
      );
    }
    await expectNoLockLeft(said);
    return said;
  };

  it(
    "SIGTERM while building: exits 143, stops at a safe point, says where each host was left, releases the locks; apply again converges",
    async () => {
      await swapSides();
      const run = await runInterruptedFrom(
        scenario,
        "node-1",
        { point: "build", signal: "TERM", times: 1, holdSeconds: 0 },
        "apply",
      );
      const said = await expectStoppedSafely(run, "apply", 143);
      // The signal came inside node-1's build script: it finished, and nothing after it ran.
      expect(run.stderr, said).toMatch(/^ {2}node-1: built \(\d+ changes ran\)/m);
      await expectNextApplyConverges(said);
      expectExit(await scenario.cli(["verify"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "Ctrl-C while verifying: the verification's scripts finish (node-1 converged), the locks are released",
    async () => {
      await swapSides();
      const run = await runInterruptedFrom(
        scenario,
        "node-1",
        { point: "verify", signal: "INT", times: 1, holdSeconds: 1 },
        "apply",
      );
      const said = await expectStoppedSafely(run, "apply", 130);
      // Its ssh client has a process group of its own: Ctrl-C reaches netplan-k alone.
      expect(run.stderr, said).toMatch(/^ {2}node-1: converged \(\d+ changes ran, verified\)/m);
      expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "a second Ctrl-C exits at once, while node-1's build script still runs; then apply converges as after a crash",
    async () => {
      await swapSides();
      const run = await runInterruptedFrom(
        scenario,
        "node-1",
        { point: "build", signal: "INT", times: 2, holdSeconds: 3 },
        "apply",
      );
      const said = describeRun(run);
      expect(run.exitCode, said).toBe(130);
      expect(run.stderr, said).toContain("Interrupt received");
      // Exited at once: no safe point was waited for, so no report of where hosts were left.
      expect(run.stderr, said).not.toContain("interrupted; where each host was left");
      await expectNextApplyConverges(said);
    },
    STEP_TIMEOUT_MS,
  );

  it(
    "Ctrl-C during destroy: stops at a safe point, says where each host was left, releases the locks; destroy again finishes",
    async () => {
      const run = await runInterruptedFrom(
        scenario,
        "node-1",
        { point: "build", signal: "INT", times: 1, holdSeconds: 0 },
        "destroy",
      );
      const said = await expectStoppedSafely(run, "destroy", 130);
      const again = await scenario.cli(["destroy"], ["--auto-approve"]);
      expectExit(again, 0);
      const observed = await scenario.cli(["observe"]);
      expectExit(observed, 0);
      const topology = sidesOver(sshd)[side] as TopologyFile;
      expect(
        listOwnedObjects(observed.stdout, topology.name, String(topology.cluster.cidr)),
        `${said}\n${describeRun(again)}`,
      ).toEqual([]);
      await expectForeignUnchanged(said);
    },
    STEP_TIMEOUT_MS,
  );
});
