import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parsePlan } from "../../src/planner/parse-plan.js";
import { installSshCounter } from "../../test/e2e/ssh-counter.js";
import { generateTopology, type BenchMode } from "./generate-topology.js";
import { startLabSession, runTimed, type TimedRun } from "./lab-session.js";
import { formatMarkdownTable, seconds } from "./markdown-table.js";
import { writeAnsible, writeFloor, writeNaive } from "./other-ways.js";

export interface ApplyBenchOptions {
  readonly sizes: readonly number[];
  readonly modes: readonly BenchMode[];
  /** Lab prefix stem: each lab is `<prefix><n>` (yb0, yb1, ...). */
  readonly labPrefix: string;
  /** The other ways to run besides netplan-k (ansible needs ansible-playbook installed). */
  readonly others: readonly ("floor" | "naive" | "ansible")[];
  readonly cli: string;
  readonly resultsDir: string;
  readonly log: (line: string) => void;
}

/** One measured way of doing one scenario on one lab. */
export interface ApplyRow {
  readonly mode: BenchMode;
  readonly hosts: number;
  readonly way: string;
  readonly scenario: string;
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Command round trips per host (ssh invocations that run a command); netplan-k only. */
  readonly roundTripsPerHost?: number;
  readonly connections: number;
  /** Whether `plan --detailed-exitcode` found nothing left to do afterwards. */
  readonly converged: boolean;
  readonly exitCode: number;
  /** The machine's one-minute load average when the run started (shared, noisy machines). */
  readonly loadAverage: number;
}

export interface ApplyBenchResult {
  readonly rows: readonly ApplyRow[];
  readonly report: string;
}

/**
 * Builds a lab with an sshd per host for each mode and size (one at a time), then measures on
 * it: netplan-k's cold apply, no-op apply and one-host change (a workload added to node-1),
 * and the same cold apply done by the other ways, each from hosts emptied by `destroy`.
 * Writes apply.md and apply.json to resultsDir. The lab is removed even when the run fails or
 * is interrupted (startLabSession).
 */
export async function runApplyBench(options: ApplyBenchOptions): Promise<ApplyBenchResult> {
  mkdirSync(options.resultsDir, { recursive: true });
  const rows: ApplyRow[] = [];
  let labIndex = 0;
  for (const mode of options.modes) {
    for (const hosts of options.sizes) {
      const work = mkdtempSync(join(tmpdir(), "nk-bench-apply-"));
      const prefix = `${options.labPrefix}${labIndex++}`;
      try {
        rows.push(...(await benchOneLab(options, mode, hosts, prefix, work)));
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
  }
  const report = [
    "## Apply over SSH (lab with an sshd per host)",
    "",
    formatMarkdownTable(
      [
        "mode",
        "hosts",
        "scenario",
        "way",
        "wall s",
        "controller CPU s",
        "round trips/host",
        "connections",
        "converged",
        "load",
      ],
      rows.map((row) => [
        row.mode,
        row.hosts,
        row.scenario,
        row.way,
        seconds(row.wallMs),
        seconds(row.cpuMs),
        row.roundTripsPerHost === undefined ? "n/a" : row.roundTripsPerHost.toFixed(2),
        row.connections,
        row.exitCode === 0 && row.converged ? "yes" : `no (exit ${row.exitCode})`,
        row.loadAverage.toFixed(1),
      ]),
    ),
    "",
    ...formatRatios(rows),
  ].join("\n");
  writeFileSync(join(options.resultsDir, "apply.md"), report);
  writeFileSync(join(options.resultsDir, "apply.json"), `${JSON.stringify(rows, null, 2)}\n`);
  return { rows, report };
}

async function benchOneLab(
  options: ApplyBenchOptions,
  mode: BenchMode,
  hosts: number,
  prefix: string,
  work: string,
): Promise<ApplyRow[]> {
  const topology = join(work, "topology.yaml");
  const text = generateTopology({
    name: `bench-${mode}`,
    hosts,
    mode,
    reflectors: mode === "bgp",
    labPrefix: prefix,
  });
  writeFileSync(topology, text);
  const lab = startLabSession(options.cli, topology, prefix, work, options.log);
  const counter = await installSshCounter(work);
  const cli = (args: readonly string[]): TimedRun =>
    runTimed([process.execPath, options.cli, ...args], {
      workDir: work,
      env: { PATH: counter.path },
    });
  /** Whether every host matches `file`: the topology the measured run was to reach. */
  const isConverged = (file: string) => cli(["plan", file, "--detailed-exitcode"]).exitCode === 0;
  const rows: ApplyRow[] = [];
  const measure = async (
    way: string,
    scenario: string,
    argv: () => TimedRun,
    counted: boolean,
    target = topology,
  ) => {
    await counter.reset();
    lab.resetConnections();
    const loadAverage = loadavg()[0] ?? 0;
    const run = argv();
    const trips = [...(await counter.count()).values()].reduce((sum, n) => sum + n, 0);
    const connections = lab.connections();
    const row: ApplyRow = {
      mode,
      hosts,
      way,
      scenario,
      wallMs: run.wallMs,
      cpuMs: run.cpuMs,
      ...(counted && { roundTripsPerHost: trips / hosts }),
      connections,
      converged: isConverged(target),
      exitCode: run.exitCode,
      loadAverage,
    };
    if (run.exitCode !== 0) {
      // Ansible reports a failed task on stdout, the others on stderr.
      options.log(
        `${way} ${scenario} failed:\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`,
      );
    }
    options.log(
      `${mode} ${hosts} ${way} ${scenario}: ${seconds(row.wallMs)} s, ${connections} connections`,
    );
    rows.push(row);
  };
  try {
    // The plan of a cold apply, saved before anything changes: the other ways run its commands.
    const saved = join(work, "cold-plan.json");
    cli(["plan", topology, "--out", saved]);
    const plan = parsePlan(readFileSync(saved, "utf8"), saved);
    const destroy = () => cli(["destroy", topology, "--auto-approve"]);

    const apply = () => cli(["apply", topology, "--auto-approve"]);
    await measure("netplan-k", "cold apply", apply, true);
    await measure("netplan-k", "no-op apply", apply, true);
    const changed = join(work, "changed.yaml");
    writeFileSync(changed, text.replace("- name: w1\n", "- name: w1\n      - name: w1b\n"));
    await measure(
      "netplan-k",
      "one-host change",
      () => cli(["apply", changed, "--auto-approve"]),
      true,
      changed,
    );
    const ways = { floor: writeFloor, naive: writeNaive, ansible: writeAnsible } as const;
    for (const way of options.others) {
      destroy();
      const argv = ways[way](plan, lab.sshConfig, work);
      await measure(
        way,
        "cold apply",
        () => runTimed(argv, { workDir: work, env: { ANSIBLE_CONFIG: join(work, "ansible.cfg") } }),
        false,
      );
    }
  } finally {
    lab.down();
  }
  return rows;
}

/**
 * The ratios, from rows of one lab (same run, same load): how many times longer each
 * other way's cold apply took than netplan-k's, in wall time. Labs where a way did not
 * converge are left out of that way's column ("n/a").
 */
function formatRatios(rows: readonly ApplyRow[]): string[] {
  const labs = [...new Set(rows.map((row) => `${row.mode} ${row.hosts}`))];
  const coldWall = (lab: string, way: string): number | undefined => {
    const row = rows.find(
      (r) => `${r.mode} ${r.hosts}` === lab && r.way === way && r.scenario === "cold apply",
    );
    return row !== undefined && row.exitCode === 0 && row.converged ? row.wallMs : undefined;
  };
  const ratio = (numerator: number | undefined, denominator: number | undefined): string =>
    numerator === undefined || denominator === undefined
      ? "n/a"
      : `${(numerator / denominator).toFixed(2)}×`;
  return [
    "Cold apply, wall-time ratios within one lab (targets: Ansible ≥ 20×, naive ≥ 5×, netplan-k ≤ 1.3× the floor):",
    "",
    formatMarkdownTable(
      ["lab", "Ansible / netplan-k", "naive / netplan-k", "netplan-k / floor"],
      labs.map((lab) => {
        const ours = coldWall(lab, "netplan-k");
        return [
          lab,
          ratio(coldWall(lab, "ansible"), ours),
          ratio(coldWall(lab, "naive"), ours),
          ratio(ours, coldWall(lab, "floor")),
        ];
      }),
    ),
    "",
  ];
}
