import { execa } from "execa";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";
import { stringify } from "yaml";
import { identityFile, readLabOwner } from "../../src/lab/lab-owner.js";
import type { TopologyFile } from "../../src/topology/topology-file.generated.js";

/**
 * The end-to-end harness: a lab topology written to a temp dir, the built CLI run against it
 * exactly as a user would (no terminal, no colour, no stdin), and commands run inside lab hosts
 * the way the netns transport enters them. Every scenario has its own lab prefix, so test
 * files run in parallel; the lab is taken down and the temp dir removed even when a test fails.
 */

export const CLI = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** Where lab up publishes each lab host's private mount namespace (src/lab/lab-paths.ts). */
const MNTNS_DIR = "/run/netplan-k/mntns";
/** Where a lab keeps its state: keys, ssh_config, pid files (src/lab/lab-paths.ts). */
export const labStateDir = (prefix: string): string => `/run/netplan-k/lab/${prefix}`;

/** A CLI run never waits forever: a hung command fails its test instead of the whole suite. */
const COMMAND_TIMEOUT_MS = 180_000;

export interface CommandRun {
  readonly argv: readonly string[];
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Added to this process's environment (PATH for a wrapper, say). */
  readonly env?: Readonly<Record<string, string>>;
}

export async function runCommand(
  argv: readonly string[],
  options: RunOptions = {},
): Promise<CommandRun> {
  const [file = "", ...args] = argv;
  const result = await execa(file, args, {
    reject: false,
    stdin: "ignore",
    env: { NO_COLOR: "1", ...options.env },
    timeout: COMMAND_TIMEOUT_MS,
  });
  return {
    argv,
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout ?? ""),
    stderr: String(result.stderr ?? "") + (result.timedOut ? "\n[timed out]" : ""),
  };
}

/** The whole run for an assertion message: a failing exit code shows what the command said. */
export const describeRun = (run: CommandRun): string =>
  `${run.argv.join(" ")} exited ${run.exitCode}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;

export function expectExit(run: CommandRun, exitCode: number): void {
  expect(run.exitCode, describeRun(run)).toBe(exitCode);
}

/** Namespaces of the root /run/netns whose name starts with `<prefix>-`. */
export async function namespacesWithPrefix(prefix: string): Promise<string[]> {
  const listed = await runCommand(["ip", "-j", "netns", "list"]);
  const names = (JSON.parse(listed.stdout || "[]") as { name: string }[]).map((n) => n.name);
  return names.filter((name) => name.startsWith(`${prefix}-`));
}

/**
 * Removes what a run killed part-way (a CI job cut at its time limit, a session that ended)
 * left of lab `prefix`, then checks nothing of it is left. Such a run leaves its temp dir
 * too, so the lab's owner (src/lab/lab-owner.ts) is that run's file and `lab down` of any
 * other file is refused: the owner's own file is taken down when it is a test's
 * (`netplan-k-e2e-` in its temp dir), `ownFile` otherwise. Throws (fails the test) when
 * namespaces of the prefix remain.
 */
export async function clearLeftoverLab(prefix: string, ownFile: string): Promise<void> {
  const leftover = await namespacesWithPrefix(prefix);
  if (leftover.length === 0) return;
  const owner = await readLabOwner(prefix);
  const ownerFile = owner === undefined ? undefined : identityFile(owner);
  const file =
    ownerFile !== undefined && ownerFile.startsWith(join(tmpdir(), "netplan-k-e2e-"))
      ? ownerFile
      : ownFile;
  console.warn(`lab ${prefix}: removing ${leftover.join(", ")} left by an earlier run`);
  expectExit(await runCommand(["node", CLI, "lab", "down", file]), 0);
  expect(
    await namespacesWithPrefix(prefix),
    `namespaces of lab ${prefix} are left from an earlier run and lab down did not remove them`,
  ).toEqual([]);
}

export interface LabScenario {
  readonly prefix: string;
  /** The topology file (valid once the scenario's beforeAll ran). */
  readonly file: string;
  /** The scenario's temp dir, for wrappers and scratch files. */
  readonly dir: string;
  /** Replaces the topology file's content. */
  write(topology: TopologyFile): Promise<void>;
  /** `netplan-k <command…> <file> <flags…>`. */
  cli(
    command: readonly string[],
    flags?: readonly string[],
    options?: RunOptions,
  ): Promise<CommandRun>;
  /** Runs argv inside lab host `host`: its network and its private mount namespace. */
  inHost(host: string, argv: readonly string[]): Promise<CommandRun>;
  /** As inHost, but a non-zero exit fails the test; returns stdout. */
  inHostOk(host: string, argv: readonly string[]): Promise<string>;
}

/**
 * Registers the scenario's lifecycle in the enclosing describe: before, a check that nothing of
 * this prefix exists (a leftover would make every result meaningless) and the topology file;
 * after, `lab down` and the temp dir's removal, whatever happened in between.
 */
export function useLabScenario(topology: TopologyFile): LabScenario {
  const prefix = topology.lab?.prefix;
  if (prefix === undefined) throw new Error(`topology ${topology.name} has no lab prefix`);
  let dir = "";
  const file = () => join(dir, "topology.yaml");

  const scenario: LabScenario = {
    prefix,
    get file() {
      return file();
    },
    get dir() {
      return dir;
    },
    async write(next) {
      await writeFile(file(), stringify(next));
    },
    cli(command, flags = [], options = {}) {
      return runCommand(["node", CLI, ...command, file(), ...flags], options);
    },
    inHost(host, argv) {
      const namespace = `${prefix}-${host}`;
      return runCommand([
        "nsenter",
        `--net=/run/netns/${namespace}`,
        `--mount=${MNTNS_DIR}/${namespace}`,
        "--",
        ...argv,
      ]);
    },
    async inHostOk(host, argv) {
      const run = await scenario.inHost(host, argv);
      expectExit(run, 0);
      return run.stdout;
    },
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `netplan-k-e2e-${prefix}-`));
    await scenario.write(topology);
    await clearLeftoverLab(prefix, file());
  }, 60_000);

  afterAll(async () => {
    if (dir === "") return;
    try {
      const down = await scenario.cli(["lab", "down"]);
      expectExit(down, 0);
      expect(await namespacesWithPrefix(prefix)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  return scenario;
}
