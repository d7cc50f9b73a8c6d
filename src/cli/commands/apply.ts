import { compileTopology } from "../../modes/compile.js";
import { emptyHostState } from "../../model/index.js";
import { parsePlan } from "../../planner/parse-plan.js";
import type { Plan } from "../../planner/plan.js";
import { countBlockers, summarizePlan } from "../../planner/summarize-plan.js";
import { describeReadError, readInputFile } from "../read-input-file.js";
import { CliError } from "../cli-error.js";
import { convergeHosts, stalePlanError, type ConvergeOptions } from "../converge-hosts.js";
import { EXIT_ERROR } from "../exit-codes.js";
import { limitHosts } from "../limit-hosts.js";
import { loadValidTopology } from "../load-valid-topology.js";
import type { Output } from "../output.js";
import { planSourceOf } from "../topology-digest.js";
import type { Topology } from "../../topology/topology.js";

export interface ApplyOptions extends ConvergeOptions {
  readonly limit?: string;
}

/** `netplan-k apply <topology | plan.json>`. */
export async function runApply(
  target: string,
  options: ApplyOptions,
  output: Output,
): Promise<number> {
  if (target.endsWith(".json")) return applySavedPlan(target, options, output);
  const topology = await loadValidTopology(target, output);
  if (topology === undefined) return EXIT_ERROR;
  const desiredOf = (kept: Topology) => limitHosts(compileTopology(kept), options.limit);
  return convergeHosts(topology, desiredOf, { verb: "apply" }, options, output);
}

/** `netplan-k destroy`: every host's desired state is empty, so every owned object goes. */
export async function runDestroy(
  file: string,
  options: ApplyOptions,
  output: Output,
): Promise<number> {
  const topology = await loadValidTopology(file, output);
  if (topology === undefined) return EXIT_ERROR;
  const desiredOf = (kept: Topology) => {
    const compiled = limitHosts(compileTopology(kept), options.limit);
    return {
      ...compiled,
      hosts: compiled.hosts.map(({ host }) => ({ host, state: emptyHostState() })),
    };
  };
  return convergeHosts(topology, desiredOf, { verb: "destroy" }, options, output);
}

/**
 * Applies a plan saved by `plan --out` exactly, or nothing: the topology file must be the one
 * the plan was made from, and every host must still hold what it held then.
 */
async function applySavedPlan(
  file: string,
  options: ApplyOptions,
  output: Output,
): Promise<number> {
  const plan = await readPlanFile(file);
  const blockers = countBlockers(summarizePlan(plan));
  if (blockers !== undefined) {
    throw new CliError(
      `${file} cannot be applied: it was saved with ${blockers}, and such a plan is never applied`,
      "Resolve them (netplan-k plan TOPOLOGY lists them), then save a new plan with --out.",
    );
  }
  if (plan.against !== "hosts" || plan.source === undefined) {
    throw new CliError(
      `${file} was planned against ${plan.against === "hosts" ? "hosts, but names no topology file" : plan.against === "empty" ? "empty hosts" : "a snapshot"}, so it cannot be applied`,
      "Make the plan against the live hosts: netplan-k plan TOPOLOGY --out plan.json",
    );
  }
  const source = await planSourceOf(plan.source.file).catch((error: unknown) => {
    throw new CliError(
      `${file} was made from ${plan.source?.file}, which cannot be read: ${describeReadError(error)}`,
      undefined,
      { cause: error },
    );
  });
  if (source.sha256 !== plan.source.sha256) throw stalePlanError(plan.source.file);
  const topology = await loadValidTopology(plan.source.file, output);
  if (topology === undefined) return EXIT_ERROR;
  const planned = new Set(plan.hosts.map((h) => h.host));
  const desiredOf = (kept: Topology) => {
    const compiled = compileTopology(kept);
    return { ...compiled, hosts: compiled.hosts.filter((h) => planned.has(h.host)) };
  };
  return convergeHosts(topology, desiredOf, { verb: "apply", saved: plan }, options, output);
}

async function readPlanFile(file: string): Promise<Plan> {
  const text = await readInputFile(file, "saved plan");
  try {
    return parsePlan(text, file);
  } catch (error) {
    throw new CliError(
      (error as Error).message,
      "Save a plan with: netplan-k plan TOPOLOGY --out plan.json",
      {
        cause: error,
      },
    );
  }
}
