import { writeFile } from "node:fs/promises";
import { buildTopologyGraph, markPlanChanges, renderMermaid } from "../../graph/index.js";
import { clusterRanges, compileHosts, compileTopology } from "../../modes/compile.js";
import type { ObservedHost } from "../../model/index.js";
import { listBgpPeerChanges, type BgpPeerChange } from "../../modes/bgp-peer-changes.js";
import type { HostPlan, Plan, PlanSource } from "../../planner/plan.js";
import { isPlanApplicable, PLAN_FORMAT_VERSION, planHasChanges } from "../../planner/plan.js";
import { planHosts, planTopology, type PlanTopologyInput } from "../../planner/plan-topology.js";
import { renderPlanJsonChunks, renderPlanJsonStream } from "../../planner/render-json.js";
import { addSummaries, summarizePlan, type PlanSummary } from "../../planner/summarize-plan.js";
import { renderPlanMarkdown } from "../../planner/render-markdown.js";
import { renderPlanTextChunks } from "../../planner/render-text.js";
import type { Topology } from "../../topology/topology.js";
import { CliError } from "../cli-error.js";
import { EXIT_CHANGES, EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "../host-transports.js";
import { limitHostNames, limitHosts } from "../limit-hosts.js";
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
    topologySource: topology.source,
  };
  const source = await planSourceOf(file);
  // The graph marks what the whole plan changes: that markdown plan is planned whole.
  if (options.output === "markdown" && options.graph)
    return writeWholePlan({ input, source, topology, options, output });
  // Text, JSON and markdown are written host by host as each is planned, and so is the JSON
  // --out saves: a pass of its own over the same hosts (the planner is pure, the hosts come
  // again).
  const written =
    options.output === "text"
      ? await writeTextPlanHostByHost(input, topology, options, output)
      : options.output === "markdown"
        ? writeMarkdownPlanHostByHost(input, source, topology, output)
        : await writeJsonPlanHostByHost(input, source, output);
  if (!written.applicable) {
    if (options.out !== undefined) output.err(notSaved(options.out));
    return EXIT_ERROR;
  }
  if (options.out !== undefined) {
    await writeFile(
      options.out,
      renderPlanJsonStream(planHead(input, source), written.summary, planHosts(input)),
    );
    output.err(saved(options.out));
  }
  return options.detailedExitcode && written.summary.hosts > 0 ? EXIT_CHANGES : EXIT_OK;
}

// A plan that cannot be applied is not saved: apply would refuse it anyway.
const notSaved = (out: string): string =>
  `Did not save the plan to ${out}: it cannot be applied. Resolve the conflicts ` +
  "and errors above, then run netplan-k plan --out again.";

const saved = (out: string): string =>
  `Saved the plan to ${out}. Apply exactly this plan with: netplan-k apply ${out}`;

/** What a plan says besides its hosts (planTopology's members, and the file it came from). */
const planHead = (input: PlanTopologyInput, source: PlanSource): Omit<Plan, "hosts"> => ({
  formatVersion: PLAN_FORMAT_VERSION,
  topology: input.desired.topology,
  against: input.against,
  source,
});

/** What a plan written host by host was found to be, once its last host went by. */
interface WrittenPlan {
  readonly applicable: boolean;
  readonly summary: PlanSummary;
}

const NOTHING_WRITTEN: WrittenPlan = { applicable: true, summary: summarizePlan({ hosts: [] }) };

/** What a plan written host by host was found to be, with one more host. */
const addHost = (written: WrittenPlan, host: HostPlan): WrittenPlan => ({
  applicable: written.applicable && isPlanApplicable({ hosts: [host] }),
  summary: addSummaries(written.summary, summarizePlan({ hosts: [host] })),
});

/**
 * `-o json` host by host: a first pass counts the hosts for the summary at the head, the
 * second writes each host as it is planned again. Twice the planning, but a thousand-host
 * mesh's three million changes are never held at once.
 */
async function writeJsonPlanHostByHost(
  input: PlanTopologyInput,
  source: PlanSource,
  output: Output,
): Promise<WrittenPlan> {
  let written = NOTHING_WRITTEN;
  for (const host of planHosts(input)) written = addHost(written, host);
  const chunks = renderPlanJsonStream(planHead(input, source), written.summary, planHosts(input));
  await writeChunks(chunks, output);
  return written;
}

/**
 * The markdown plan host by host (renderPlanMarkdown reads the hosts twice: each pass plans
 * them again): the counts, whether it can be applied and the gone hosts' clues are taken on
 * the first pass, each host's BGP sessions as it goes by. The comment itself is at most
 * GITHUB_COMMENT_LIMIT characters.
 */
function writeMarkdownPlanHostByHost(
  input: PlanTopologyInput,
  source: PlanSource,
  topology: Topology,
  output: Output,
): WrittenPlan {
  const bgpPeers = new Map<string, readonly BgpPeerChange[]>();
  const deletes: HostPlan[] = [];
  let written: WrittenPlan | undefined;
  const hosts = {
    *[Symbol.iterator](): Generator<HostPlan> {
      const first = written === undefined;
      let tally = NOTHING_WRITTEN;
      for (const host of planHosts(input)) {
        if (first) {
          tally = addHost(tally, host);
          const clues = goneHostClues(host);
          if (clues.length > 0) deletes.push({ ...host, changes: clues });
        }
        // The renderer reads a host's sessions when it writes the host, after this.
        const peers = listBgpPeerChanges(topology, { hosts: [host] }).get(host.host);
        if (peers !== undefined) bgpPeers.set(host.host, peers);
        yield host;
      }
      if (first) written = tally;
    },
  };
  output.out(
    renderPlanMarkdown(
      { ...planHead(input, source), hosts },
      { bgpPeers, warnings: () => goneHostWarnings({ hosts: deletes }, topology) },
    ),
  );
  return written ?? NOTHING_WRITTEN;
}

/** The markdown plan with --graph: planned whole (the graph reads every host's changes). */
async function writeWholePlan(args: {
  readonly input: PlanTopologyInput;
  readonly source: PlanSource;
  readonly topology: Topology;
  readonly options: PlanOptions;
  readonly output: Output;
}): Promise<number> {
  const { input, source, topology, options, output } = args;
  const plan = { ...planTopology(input), source };
  const graph = options.graph ? drawPlanGraph(plan, topology) : undefined;
  output.out(
    renderPlanMarkdown(plan, {
      bgpPeers: listBgpPeerChanges(topology, plan),
      warnings: goneHostWarnings(plan, topology),
      ...(graph !== undefined && { graph }),
    }),
  );
  if (!isPlanApplicable(plan)) {
    if (options.out !== undefined) output.err(notSaved(options.out));
    return EXIT_ERROR;
  }
  if (options.out !== undefined) {
    await writeFile(options.out, renderPlanJsonChunks(plan));
    output.err(saved(options.out));
  }
  return options.detailedExitcode && planHasChanges(plan) ? EXIT_CHANGES : EXIT_OK;
}

/**
 * The text plan written host by host as each is planned (planHosts), so that only one host's
 * changes are held at a time; whether it can be applied and its counts are worked out from
 * the hosts as they go by.
 */
async function writeTextPlanHostByHost(
  input: PlanTopologyInput,
  topology: Topology,
  options: PlanOptions,
  output: Output,
): Promise<WrittenPlan> {
  const bgpPeers = new Map<string, readonly BgpPeerChange[]>();
  // Only what gone hosts are known from is kept for goneHostWarnings, not every change.
  const deletes: HostPlan[] = [];
  let written = NOTHING_WRITTEN;
  function* watched(): Generator<HostPlan> {
    for (const host of planHosts(input)) {
      written = addHost(written, host);
      const clues = goneHostClues(host);
      if (clues.length > 0) deletes.push({ ...host, changes: clues });
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
  await writeChunks(chunks, output);
  return written;
}

/** Each piece to stdout, each once the one before has left the process (Output.drained). */
async function writeChunks(chunks: Iterable<string>, output: Output): Promise<void> {
  for (const chunk of chunks) {
    output.out(chunk);
    await output.drained?.();
  }
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
    // Compiled as planned: the hosts' desired states are never all held at once.
    const wanted = new Set(
      limitHostNames(
        topology.hosts.map((host) => host.name),
        options.limit,
      ),
    );
    // Iterable again for each pass over the plan (-o json, --out): compiled again each time.
    const hosts = {
      [Symbol.iterator]: () =>
        filterIterable(compileHosts(topology), (host) => wanted.has(host.host)),
    };
    const desired = {
      topology: topology.name,
      ...clusterRanges(topology),
      hosts,
    };
    return { desired, observed: "empty", against: "empty" };
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

function* filterIterable<T>(items: Iterable<T>, keep: (item: T) => boolean): Generator<T> {
  for (const item of items) if (keep(item)) yield item;
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
