import { writeFile } from "node:fs/promises";
import { buildTopologyGraph, markPlanChanges, renderMermaid } from "../../graph/index.js";
import { compileTopology } from "../../modes/compile.js";
import type { ObservedHost } from "../../model/index.js";
import { listBgpPeerChanges, type BgpPeerChange } from "../../modes/bgp-peer-changes.js";
import type { HostPlan, Plan } from "../../planner/plan.js";
import { isPlanApplicable, planHasChanges } from "../../planner/plan.js";
import { planHosts, planTopology, type PlanTopologyInput } from "../../planner/plan-topology.js";
import { renderPlanJsonChunks } from "../../planner/render-json.js";
import { renderPlanMarkdown } from "../../planner/render-markdown.js";
import { renderPlanTextChunks } from "../../planner/render-text.js";
import type { Topology } from "../../topology/topology.js";
import { CliError } from "../cli-error.js";
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "../host-transports.js";
import { limitHosts } from "../limit-hosts.js";
import { keepHeldAddresses, readOutsideLimit } from "../keep-held-addresses.js";
import { loadValidTopology } from "../load-valid-topology.js";
import { warnManagementChangeAllowed } from "../management-change-warning.js";
import { observeHosts } from "../observe-hosts.js";
import type { Output } from "../output.js";
import { readSnapshotFile } from "../read-snapshot-file.js";
import { planSourceOf } from "../topology-digest.js";
import { findUnbuiltLabHosts } from "../unbuilt-lab-hosts.js";
import { goneHostWarnings } from "../gone-host-warnings.js";
import { goneHostClues } from "../../planner/gone-hosts.js";

export type PlanFormat = "text" | "json" | "markdown";

export interface PlanOptions extends ConnectionOptions {
  readonly output: PlanFormat;
  readonly out?: string;
  readonly state?: string;
  readonly empty: boolean;
  readonly detailedExitcode: boolean;
  /** Text: every change on its own line even past FULL_PLAN_CHANGE_LIMIT changes. */
  readonly full: boolean;
  /** With markdown: a mermaid picture of the paths that change. */
  readonly graph: boolean;
  readonly limit?: string;
  readonly parallelism: number;
  /** Plan changes to a host's SSH session path instead of refusing them. */
  readonly allowManagementChange?: boolean;
}

/** `netplan-k plan`: what every host must change to match the topology, changing nothing. */
export async function runPlan(file: string, options: PlanOptions, output: Output): Promise<number> {
  if (options.state !== undefined && options.empty) {
    throw new CliError(
      "--state and --empty exclude each other",
      "Plan against a snapshot or against empty hosts, not both.",
    );
  }
  if (options.graph && options.output !== "markdown") {
    throw new CliError(
      "--graph draws into the markdown plan only",
      "Add -o markdown, or draw the topology with `netplan-k graph`.",
    );
  }
  const topology = await loadValidTopology(file, output, { json: options.output === "json" });
  if (topology === undefined) return EXIT_ERROR;
  if (options.allowManagementChange === true) warnManagementChangeAllowed(output);
  const input = {
    ...(await makePlanInput(topology, options, output)),
    allowManagementChange: options.allowManagementChange === true,
  };
  if (options.output === "text" && options.out === undefined) {
    return writeTextPlanHostByHost(input, topology, options, output);
  }
  const plan = { ...planTopology(input), source: await planSourceOf(file) };

  const graph = options.graph ? drawPlanGraph(plan, topology) : undefined;
  for (const chunk of renderPlan(plan, topology, options, output.color, graph)) output.out(chunk);
  if (!isPlanApplicable(plan)) {
    // A plan that cannot be applied is not saved: apply would refuse it anyway.
    if (options.out !== undefined) {
      output.err(
        `Did not save the plan to ${options.out}: it cannot be applied. Resolve the conflicts ` +
          "and errors above, then run netplan-k plan --out again.",
      );
    }
    return EXIT_ERROR;
  }
  if (options.out !== undefined) {
    await writeFile(options.out, renderPlanJsonChunks(plan));
    output.err(
      `Saved the plan to ${options.out}. Apply exactly this plan with: netplan-k apply ${options.out}`,
    );
  }
  return options.detailedExitcode && planHasChanges(plan) ? EXIT_CHANGES : EXIT_OK;
}

/**
 * The text plan written host by host as each is planned (planHosts), so that only one host's
 * changes are held at a time; the exit code is worked out from the hosts as they go by.
 */
function writeTextPlanHostByHost(
  input: PlanTopologyInput,
  topology: Topology,
  options: PlanOptions,
  output: Output,
): number {
  const bgpPeers = new Map<string, readonly BgpPeerChange[]>();
  let applicable = true;
  let changes = false;
  // Only what gone hosts are known from is kept for goneHostWarnings, not every change.
  const deletes: HostPlan[] = [];
  function* watched(): Generator<HostPlan> {
    for (const host of planHosts(input)) {
      const clues = goneHostClues(host);
      if (clues.length > 0) deletes.push({ ...host, changes: clues });
      applicable &&= isPlanApplicable({ hosts: [host] });
      changes ||= host.changes.length > 0;
      // The renderer reads a host's sessions when it writes the host, after this.
      const peers = listBgpPeerChanges(topology, { hosts: [host] }).get(host.host);
      if (peers !== undefined) bgpPeers.set(host.host, peers);
      yield host;
    }
  }
  const chunks = renderPlanTextChunks(
    { hosts: watched() },
    {
      color: output.color,
      bgpPeers,
      full: options.full,
      warnings: () => goneHostWarnings({ hosts: deletes }, topology),
    },
  );
  for (const chunk of chunks) output.out(chunk);
  if (!applicable) return EXIT_ERROR;
  return options.detailedExitcode && changes ? EXIT_CHANGES : EXIT_OK;
}

/** What to plan: against live hosts (one round trip each), a snapshot, or empty hosts. */
async function makePlanInput(
  topology: Topology,
  options: PlanOptions,
  output: Output,
): Promise<PlanTopologyInput> {
  // Once hosts are observed, the blocks and addresses they hold are kept (keep-held-addresses.ts).
  const desiredOf = (kept: Topology) => limitHosts(compileTopology(kept), options.limit);
  if (options.empty) {
    return { desired: desiredOf(topology), observed: "empty", against: "empty" };
  }
  if (options.state !== undefined) {
    const observed = await snapshotHosts(options.state, topology);
    const desired = desiredOf(await keepHeldAddresses(topology, observed));
    return { desired, observed, against: "snapshot" };
  }
  const transports = openHostTransports(
    topology,
    desiredOf(topology).hosts.map((h) => h.host),
    options,
  );
  try {
    const { observed, unobserved } = await observeHosts(transports, {
      parallelism: options.parallelism,
      output,
      unreachable: await findUnbuiltLabHosts(topology, [...transports.keys()]),
    });
    const outside = await readOutsideLimit(topology, [...transports.keys()], {
      ...options,
      output,
    });
    const desired = desiredOf(await keepHeldAddresses(topology, observed, outside));
    return { desired, observed, against: "hosts", unobserved };
  } finally {
    await closeAll(transports);
  }
}

async function snapshotHosts(file: string, topology: Topology): Promise<readonly ObservedHost[]> {
  const snapshot = await readSnapshotFile(file, {
    name: topology.name,
    hosts: topology.hosts.map((host) => host.name),
  });
  if (snapshot.topology !== topology.name) {
    throw new CliError(
      `${file} was observed for topology ${snapshot.topology}, not ${topology.name}`,
      "Observe again with this topology, or pass the matching topology file.",
    );
  }
  return snapshot.hosts;
}

/** The topology's graph with the paths and hosts the plan changes marked (markPlanChanges). */
const drawPlanGraph = (plan: Plan, topology: Topology): string =>
  renderMermaid(
    buildTopologyGraph(topology, compileTopology(topology), {
      marks: markPlanChanges(plan, topology),
    }),
  );

/** The plan in the chosen format, in pieces that each end with a newline. */
function renderPlan(
  plan: Plan,
  topology: Topology,
  options: PlanOptions,
  color: boolean,
  graph: string | undefined,
): Iterable<string> {
  switch (options.output) {
    case "text":
      return renderPlanTextChunks(plan, {
        color,
        bgpPeers: listBgpPeerChanges(topology, plan),
        full: options.full,
        warnings: () => goneHostWarnings(plan, topology),
      });
    case "json":
      return renderPlanJsonChunks(plan);
    case "markdown":
      return [
        renderPlanMarkdown(plan, {
          bgpPeers: listBgpPeerChanges(topology, plan),
          warnings: goneHostWarnings(plan, topology),
          ...(graph !== undefined && { graph }),
        }),
      ];
  }
}
