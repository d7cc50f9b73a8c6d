import { writeFile } from "node:fs/promises";
import { compileTopology } from "../../modes/compile.js";
import type { DesiredState, ObservedHost } from "../../model/index.js";
import { readSnapshotFile } from "../read-snapshot-file.js";
import type { Plan } from "../../planner/plan.js";
import { isPlanApplicable, planHasChanges } from "../../planner/plan.js";
import { planTopology } from "../../planner/plan-topology.js";
import { renderPlanJson } from "../../planner/render-json.js";
import { renderPlanMarkdown } from "../../planner/render-markdown.js";
import { renderPlanText } from "../../planner/render-text.js";
import { CliError } from "../cli-error.js";
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { limitHosts } from "../limit-hosts.js";
import { loadValidTopology } from "../load-valid-topology.js";
import type { Output } from "../output.js";

export type PlanFormat = "text" | "json" | "markdown";

export interface PlanOptions {
  readonly output: PlanFormat;
  readonly out?: string;
  readonly state?: string;
  readonly empty: boolean;
  readonly detailedExitcode: boolean;
  readonly limit?: string;
}

/** `netplan-k plan`: what every host must change to match the topology, changing nothing. */
export async function runPlan(file: string, options: PlanOptions, output: Output): Promise<number> {
  if (options.state !== undefined && options.empty) {
    throw new CliError(
      "--state and --empty exclude each other",
      "Plan against a snapshot or against empty hosts, not both.",
    );
  }
  const topology = await loadValidTopology(file, output);
  if (topology === undefined) return EXIT_ERROR;
  const desired = limitHosts(compileTopology(topology), options.limit);
  const plan = planTopology({ desired, ...(await observedFor(desired, options)) });

  output.out(renderPlan(plan, options.output, output.color));
  if (options.out !== undefined) {
    await writeFile(options.out, renderPlanJson(plan));
    output.err(`Saved the plan to ${options.out}.`);
  }
  if (!isPlanApplicable(plan)) return EXIT_ERROR;
  return options.detailedExitcode && planHasChanges(plan) ? EXIT_CHANGES : EXIT_OK;
}

async function observedFor(
  desired: DesiredState,
  options: PlanOptions,
): Promise<{ observed: readonly ObservedHost[] | "empty"; against: Plan["against"] }> {
  if (options.empty) return { observed: "empty", against: "empty" };
  if (options.state === undefined) {
    throw new CliError(
      "this version of netplan-k plans offline only: contacting hosts is not available yet",
      "Plan against a snapshot (--state state.json, made by `netplan-k observe`) or against hosts that hold nothing yet (--empty).",
    );
  }
  const snapshot = await readSnapshotFile(options.state);
  if (snapshot.topology !== desired.topology) {
    throw new CliError(
      `${options.state} was observed for topology ${snapshot.topology}, not ${desired.topology}`,
      "Observe again with this topology, or pass the matching topology file.",
    );
  }
  return { observed: snapshot.hosts, against: "snapshot" };
}

function renderPlan(plan: Plan, format: PlanFormat, color: boolean): string {
  switch (format) {
    case "text":
      return renderPlanText(plan, { color });
    case "json":
      return renderPlanJson(plan);
    case "markdown":
      return renderPlanMarkdown(plan);
  }
}
