import { describe, expect, it } from "vitest";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";
import {
  recordForeignObjects,
  seedForeignObjects,
  type ForeignObjects,
} from "./foreign-objects.js";
import { describeRun, expectExit, useLabScenario, type LabScenario } from "./lab-scenario.js";
import { observeOwnedObjects } from "./owned-objects.js";
import { bgpSessionCount, workloadCount } from "./topologies.js";

/**
 * One scenario's whole life against a real lab: lab up → foreign objects seeded → apply
 * (verified by its own observation) → verify → a change of the topology → apply → verify →
 * plan empty → destroy → nothing owned left and the foreign objects untouched → (the lab's
 * first scenario) destroy again, nothing to do.
 * The steps share the lab and run in order; a failing step makes the later ones fail too.
 * Scenarios of the same hosts run one after the other in one lab (describeConvergence with
 * several): each starts from what the one before left, every owned object destroyed and the
 * foreign ones in place, so the lab is built and taken down once.
 */
export interface ConvergenceScenario {
  readonly title: string;
  readonly initial: TopologyFile;
  /** What the change does, for the step's name ("add host c-1", "vni 1 → 7"). */
  readonly change: string;
  readonly changed: TopologyFile;
}

const STEP_TIMEOUT_MS = 120_000;

/** verify: every ordered pair of workloads answers, and in mode bgp every session is up. */
async function expectAllReachable(scenario: LabScenario, topology: TopologyFile): Promise<void> {
  const run = await scenario.cli(["verify"]);
  expectExit(run, 0);
  const workloads = workloadCount(topology);
  const paths = workloads * (workloads - 1);
  expect(run.stdout, describeRun(run)).toContain(`${paths} of ${paths} paths reachable`);
  expect(run.stdout, describeRun(run)).not.toContain("✗");
  for (const host of topology.hosts) {
    for (const workload of host.namespaces ?? []) {
      expect(run.stdout).toMatch(new RegExp(`^${host.name}/${workload.name}\\s`, "m"));
    }
  }
  if (topology.cluster.mode === "bgp") {
    // Each session is listed from both of its ends.
    const ends = 2 * bgpSessionCount(topology);
    const established = run.stdout.split("\n").filter((line) => /\bEstablished\b/.test(line));
    expect(established.length, describeRun(run)).toBe(ends);
    expect(run.stdout).toContain(`${ends} of ${ends} BGP sessions established`);
  }
}

async function expectNoChanges(scenario: LabScenario): Promise<void> {
  expectExit(await scenario.cli(["plan"], ["--detailed-exitcode"]), 0);
}

const hostNames = (topology: TopologyFile): string[] => topology.hosts.map((host) => host.name);

/**
 * Registers `definitions` (see above), in order, in one lab built by the first. They must
 * share the lab prefix, the topology name (a lab belongs to one topology: lab-owner.ts) and
 * the first host, where the foreign objects are seeded; throws otherwise. A scenario whose
 * change adds a host is best put last: the next scenario's lab up would remove that host.
 */
export function describeConvergence(...definitions: readonly ConvergenceScenario[]): void {
  const [first] = definitions;
  if (first === undefined) throw new Error("describeConvergence needs a scenario");
  const { initial } = first;
  for (const { title, initial: other } of definitions) {
    if (
      other.lab?.prefix !== initial.lab?.prefix ||
      other.name !== initial.name ||
      other.hosts[0]?.name !== initial.hosts[0]?.name
    ) {
      throw new Error(
        `scenario "${title}" cannot share the lab of "${first.title}": the lab prefix, the topology name and the first host must be the same`,
      );
    }
  }
  describe(`lab ${initial.lab?.prefix ?? ""}: ${definitions.map((d) => d.title).join("; ")}`, () => {
    const scenario = useLabScenario(initial);
    const seedHost = initial.hosts[0]?.name ?? "";
    const seedAddress = String(initial.hosts[0]?.address ?? "").split("/")[0] ?? "";
    let foreign: ForeignObjects | undefined;

    it(
      "lab up builds the hosts, and a second lab up is harmless",
      async () => {
        expectExit(await scenario.cli(["lab", "up"]), 0);
        expectExit(await scenario.cli(["lab", "up"]), 0);
        expectExit(await scenario.cli(["lab", "status"]), 0);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      `seeds objects netplan-k does not own in ${seedHost}`,
      async () => {
        await seedForeignObjects(scenario, seedHost, seedAddress);
        foreign = await recordForeignObjects(scenario, seedHost, seedAddress);
        expect(foreign.route).toContain("203.0.113.0/24");
        expect(foreign.bridge).toContain("frgn0");
        expect(foreign.neighbour).toContain("PERMANENT");
        expect(foreign.namespace).not.toBe("");
      },
      STEP_TIMEOUT_MS,
    );

    definitions.forEach((definition, index) =>
      describeLife(definition, index === 0, scenario, () => foreign),
    );
  });
}

/** One scenario's steps after the lab is up and seeded: the first, or one that follows. */
function describeLife(
  definition: ConvergenceScenario,
  isFirst: boolean,
  scenario: LabScenario,
  foreign: () => ForeignObjects | undefined,
): void {
  const { initial, changed } = definition;
  const seedHost = initial.hosts[0]?.name ?? "";
  const seedAddress = String(initial.hosts[0]?.address ?? "").split("/")[0] ?? "";
  describe(definition.title, () => {
    if (!isFirst) {
      it(
        "lab up turns the lab the scenario before left into this one's; the foreign objects are as seeded",
        async () => {
          await scenario.write(initial);
          expectExit(await scenario.cli(["lab", "up"]), 0);
          expectExit(await scenario.cli(["lab", "status"]), 0);
          expect(await recordForeignObjects(scenario, seedHost, seedAddress)).toEqual(foreign());
        },
        STEP_TIMEOUT_MS,
      );
    }
    it(
      "apply --auto-approve converges every host, each observed again with nothing left to change",
      async () => {
        // apply's verification is a second plan made by the same run: every host observed
        // again and diffed empty. A separate plan run proves it after the change below.
        const apply = await scenario.cli(["apply"], ["--auto-approve"]);
        expectExit(apply, 0);
        expect(apply.stdout, describeRun(apply)).toMatch(/every host verified\./);
        expect(await observeOwnedObjects(scenario, initial)).not.toEqual([]);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "verify reaches every pair of workloads",
      async () => {
        await expectAllReachable(scenario, initial);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      `apply converges the changed topology (${definition.change})`,
      async () => {
        await scenario.write(changed);
        // A host the change adds must exist before it can be applied to.
        const before = hostNames(initial);
        if (hostNames(changed).some((host) => !before.includes(host))) {
          expectExit(await scenario.cli(["lab", "up"]), 0);
        }
        // The change is seen and made: apply's own count (what plan --detailed-exitcode 2 said,
        // without a plan run of its own), then its verification of every host.
        const apply = await scenario.cli(["apply"], ["--auto-approve"]);
        expectExit(apply, 0);
        expect(apply.stdout + apply.stderr, describeRun(apply)).toMatch(
          /Apply complete: [1-9]\d* changes? on [1-9]\d* hosts?, every host verified\./,
        );
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "verify reaches every pair of workloads after the change",
      async () => {
        await expectAllReachable(scenario, changed);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "plan --detailed-exitcode finds nothing to change after the change",
      async () => {
        await expectNoChanges(scenario);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "destroy removes every owned object and leaves the foreign ones as they were",
      async () => {
        expectExit(await scenario.cli(["destroy"], ["--auto-approve"]), 0);
        expect(await observeOwnedObjects(scenario, changed)).toEqual([]);
        expect(await recordForeignObjects(scenario, seedHost, seedAddress)).toEqual(foreign());
      },
      STEP_TIMEOUT_MS,
    );

    // Once per lab: a destroy with nothing to do does the same in every mode (its observation
    // finds nothing owned and sends nothing).
    if (!isFirst) return;
    it(
      "destroy again has nothing to do",
      async () => {
        const again = await scenario.cli(["destroy"], ["--auto-approve"]);
        expectExit(again, 0);
        // Its own observation found nothing owned left (the step before observed that too):
        // nothing was sent, so the foreign objects are read again without another observe.
        expect(again.stdout + again.stderr, describeRun(again)).toContain(
          "Nothing left to destroy.",
        );
        expect(await recordForeignObjects(scenario, seedHost, seedAddress)).toEqual(foreign());
      },
      STEP_TIMEOUT_MS,
    );
  });
}
