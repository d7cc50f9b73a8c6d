import {
  bgpPeerChangesUnder,
  formatBgpPeerChange,
  type BgpPeerChange,
  type BgpPeerChanges,
} from "../modes/bgp-peer-changes.js";
import { changeSymbol, formatChangeBody, formatConflict } from "./change-line.js";
import { diffFileChange } from "./file-diff.js";
import type { Change, HostPlan, Plan } from "./plan.js";
import {
  addSummaries,
  formatBlockers,
  formatCounts,
  formatSummary,
  summarizePlan,
} from "./summarize-plan.js";

const AGAINST: Readonly<Record<Plan["against"], string>> = {
  hosts: "against the hosts",
  snapshot: "against a snapshot of the hosts",
  empty: "against empty hosts",
};

/** GitHub refuses a comment (and a step summary) longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;

/**
 * Past this many change lines in all, each host's changes fold into a `<details>` section
 * (its counts stay visible): a reviewer sees every host at a glance and opens the ones that
 * matter. 20 lines is about one screen; a plan of one or two small hosts stays open.
 */
export const FOLD_THRESHOLD_LINES = 20;

export interface MarkdownOptions {
  /**
   * A mermaid flowchart of the paths the plan changes (`plan --graph`), shown after the
   * summary. The caller draws it; the planner does not know the topology's shape.
   */
  readonly graph?: string;
  /** Largest output in characters; default GITHUB_COMMENT_LIMIT. */
  readonly limit?: number;
  /** The BGP sessions each host's BIRD file opens and closes (listBgpPeerChanges). */
  readonly bgpPeers?: BgpPeerChanges;
  /**
   * Paragraphs a reviewer must see (goneHostWarnings), as warnings under the summary; a
   * function is called once the hosts have been read the first time.
   */
  readonly warnings?: readonly string[] | (() => readonly string[]);
}

const hasContent = (host: HostPlan): boolean =>
  host.changes.length + host.conflicts.length + host.errors.length > 0 ||
  host.firedRevert !== undefined ||
  host.warnings !== undefined;

/** "15 to add, 2 to change, 0 to destroy" of one host. */
const formatHostCounts = (host: HostPlan): string => formatCounts(summarizePlan({ hosts: [host] }));

/**
 * A line shown under a change, its symbol kept in the first column (a ```diff block colours a
 * line by it) and its text indented: `+     bgp peer node-1 (192.0.2.33, rr client)`.
 */
const nestedDiffLine = (line: string): string => `${line.slice(0, 1)}     ${line.slice(2)}`;

/**
 * A change's diff line, then under BIRD's file the sessions it opens, closes or finds edited
 * and its diff, under BIRD's service the sessions it enables.
 */
function renderChange(change: Change, peers: readonly BgpPeerChange[]): string[] {
  const line = `${changeSymbol(change)} ${formatChangeBody(change)}`;
  const under = bgpPeerChangesUnder(change.kind, peers).map((peer) =>
    nestedDiffLine(formatBgpPeerChange(peer)),
  );
  if (change.kind !== "file") return [line, ...under];
  return [line, ...under, ...diffFileChange(change)];
}

function renderProblems(host: HostPlan): string[] {
  const problems = [
    ...host.errors.map((error) => `- ✗ error: ${error}`),
    ...host.conflicts.map((conflict) => `- ✗ conflict: ${formatConflict(conflict)}`),
    ...(host.firedRevert === undefined ? [] : [`- ! ${host.firedRevert}`]),
    ...(host.warnings ?? []).map((warning) => `- ! ${warning}`),
  ];
  return problems.length > 0 ? [problems.join("\n")] : [];
}

function renderHost(host: HostPlan, fold: boolean, bgpPeers: BgpPeerChanges | undefined): string[] {
  const sections = [`#### ${host.host}`, ...renderProblems(host)];
  if (host.changes.length > 0) {
    // A diff block: GitHub colours "+" lines green and "-" lines red.
    const peers = bgpPeers?.get(host.host) ?? [];
    const lines = host.changes.flatMap((change) => renderChange(change, peers));
    const diff = ["```diff", ...lines, "```"].join("\n");
    sections.push(
      fold
        ? `<details><summary>${formatHostCounts(host)}</summary>\n\n${diff}\n\n</details>`
        : diff,
    );
  }
  return sections;
}

/** A host as one line of counts, for plans too long for a comment; problems stay in full. */
const renderHostCounts = (host: HostPlan): string => {
  const sections = [`#### ${host.host}`, ...renderProblems(host)];
  if (host.changes.length > 0) sections.push(formatHostCounts(host));
  return sections.join("\n\n");
};

/**
 * A plan whose hosts may come as they are planned (planHosts): read at most twice, once for
 * the counts and once for the changes, so that a thousand-host plan is never held whole.
 */
export type MarkdownPlan = Omit<Plan, "hosts"> & { readonly hosts: Iterable<HostPlan> };

/** What the first pass keeps of each host: its name, and its counts section if it has content. */
interface HostDigest {
  readonly host: string;
  /** renderHostCounts; undefined for a host without changes, conflicts or errors. */
  readonly counts: string | undefined;
  readonly changes: number;
}

const tooLongNote = (limit: number, what: string): string =>
  `> [!NOTE]\n> The full plan is longer than GitHub's comment limit (${limit.toLocaleString("en-US")} characters): ${what}. \`netplan-k plan --full\` prints every change.`;

/**
 * The plan for a code review comment: title, summary, what blocks it, the graph (when given),
 * then one section per host that changes, folded when the plan is long (FOLD_THRESHOLD_LINES).
 * When that is longer than the limit, hosts show their counts instead of their changes, then
 * the graph goes, then hosts beyond what fits are counted; a note says which was done. The
 * hosts are read twice (MarkdownPlan): first for the counts, then for the changes, rendered
 * host by host until the limit is passed.
 */
export function renderPlanMarkdown(plan: MarkdownPlan, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  let summary = summarizePlan({ hosts: [] });
  const digests: HostDigest[] = [];
  for (const host of plan.hosts) {
    summary = addSummaries(summary, summarizePlan({ hosts: [host] }));
    digests.push({
      host: host.host,
      counts: hasContent(host) ? renderHostCounts(host) : undefined,
      changes: host.changes.length,
    });
  }
  const blockers = formatBlockers(summary);
  const changing = digests.filter((host) => host.counts !== undefined);
  const unchanged = digests
    .filter((host) => host.counts === undefined)
    .map((host) => `\`${host.host}\``);
  const head = [
    `### netplan-k plan for \`${plan.topology}\` (${AGAINST[plan.against]})`,
    `**${formatSummary(summary)}**`,
    ...(blockers === undefined ? [] : [`> [!CAUTION]\n> ${blockers}`]),
    ...(typeof options.warnings === "function" ? options.warnings() : (options.warnings ?? [])).map(
      (warning) => `> [!WARNING]\n> ${warning.replace(/^! /, "")}`,
    ),
  ];
  const graph =
    options.graph === undefined
      ? []
      : [
          ["```mermaid", options.graph.trimEnd(), "```"].join("\n"),
          "_Paths: green new, amber changed, red removed; hosts that change in amber._",
        ];
  const tail =
    unchanged.length > 0 && unchanged.length < digests.length
      ? [`No changes on ${unchanged.join(", ")}.`]
      : [];
  const join = (sections: readonly string[]): string => `${sections.join("\n\n")}\n`;

  const lines = changing.reduce((sum, host) => sum + host.changes, 0);
  function* fullSections(): Generator<string> {
    yield* head;
    yield* graph;
    for (const host of plan.hosts) {
      if (hasContent(host)) {
        yield* renderHost(host, lines > FOLD_THRESHOLD_LINES, options.bgpPeers);
      }
    }
    yield* tail;
  }
  const full = joinWithin(fullSections(), limit);
  if (full !== undefined) return full;

  const counts = changing.map((host) => host.counts as string);
  const withGraph = join([
    ...head,
    tooLongNote(limit, "each host shows its counts instead of its changes"),
    ...graph,
    ...counts,
    ...tail,
  ]);
  if (withGraph.length <= limit) return withGraph;
  const withoutGraph = join([
    ...head,
    tooLongNote(
      limit,
      `each host shows its counts instead of its changes${graph.length > 0 ? ", and the graph is left out" : ""}`,
    ),
    ...counts,
    ...tail,
  ]);
  if (withoutGraph.length <= limit) return withoutGraph;
  return truncateHosts(head, counts, limit, graph.length > 0);
}

/**
 * The sections joined as the renderer joins them, or undefined as soon as they are longer
 * than `limit`: a thousand-host plan is hundreds of megabytes in full, and is never built
 * only to be found too long for a comment.
 */
function joinWithin(sections: Iterable<string>, limit: number): string | undefined {
  const taken: string[] = [];
  // The final newline, then a blank line between sections.
  let length = 1;
  for (const section of sections) {
    length += section.length + (taken.length > 0 ? 2 : 0);
    if (length > limit) return undefined;
    taken.push(section);
  }
  return `${taken.join("\n\n")}\n`;
}

/** As many hosts' counts (renderHostCounts) as fit, then how many more there are. */
function truncateHosts(
  head: readonly string[],
  counts: readonly string[],
  limit: number,
  hadGraph: boolean,
): string {
  const note = tooLongNote(
    limit,
    `hosts show their counts instead of their changes${hadGraph ? ", the graph is left out" : ""}, and only the first hosts are listed`,
  );
  const sections = [...head, note];
  // Room for the closing line, whatever the count of hosts left.
  const reserve = `… and ${counts.length} more hosts that change.`.length + 4;
  let used = sections.join("\n\n").length + 1;
  let shown = 0;
  for (const text of counts) {
    if (used + text.length + 2 + reserve > limit) break;
    sections.push(text);
    used += text.length + 2;
    shown += 1;
  }
  sections.push(`… and ${counts.length - shown} more hosts that change.`);
  return `${sections.join("\n\n")}\n`;
}
