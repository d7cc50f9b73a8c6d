import {
  formatBgpPeerChange,
  type BgpPeerChange,
  type BgpPeerChanges,
} from "../modes/bgp-peer-changes.js";
import { changeSymbol, formatChangeBody, formatConflict } from "./change-line.js";
import { diffFileChange } from "./file-diff.js";
import type { Change, HostPlan, Plan } from "./plan.js";
import { formatBlockers, formatCounts, formatSummary, summarizePlan } from "./summarize-plan.js";

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
  /** Paragraphs a reviewer must see (goneHostWarnings), as warnings under the summary. */
  readonly warnings?: readonly string[];
}

const hasContent = (host: HostPlan): boolean =>
  host.changes.length + host.conflicts.length + host.errors.length > 0;

/** "15 to add, 2 to change, 0 to destroy" of one host. */
const formatHostCounts = (host: HostPlan, plan: Plan): string =>
  formatCounts(summarizePlan({ ...plan, hosts: [host] }));

/** A change's diff line, then under BIRD's file the sessions it opens and closes and its diff. */
function renderChange(change: Change, peers: readonly BgpPeerChange[]): string[] {
  const line = `${changeSymbol(change)} ${formatChangeBody(change)}`;
  if (change.kind !== "file") return [line];
  return [line, ...peers.map(formatBgpPeerChange), ...diffFileChange(change)];
}

function renderProblems(host: HostPlan): string[] {
  const problems = [
    ...host.errors.map((error) => `- ✗ error: ${error}`),
    ...host.conflicts.map((conflict) => `- ✗ conflict: ${formatConflict(conflict)}`),
  ];
  return problems.length > 0 ? [problems.join("\n")] : [];
}

function renderHost(
  host: HostPlan,
  plan: Plan,
  fold: boolean,
  bgpPeers: BgpPeerChanges | undefined,
): string[] {
  const sections = [`#### ${host.host}`, ...renderProblems(host)];
  if (host.changes.length > 0) {
    // A diff block: GitHub colours "+" lines green and "-" lines red.
    const peers = bgpPeers?.get(host.host) ?? [];
    const lines = host.changes.flatMap((change) => renderChange(change, peers));
    const diff = ["```diff", ...lines, "```"].join("\n");
    sections.push(
      fold
        ? `<details><summary>${formatHostCounts(host, plan)}</summary>\n\n${diff}\n\n</details>`
        : diff,
    );
  }
  return sections;
}

/** A host as one line of counts, for plans too long for a comment; problems stay in full. */
const renderHostCounts = (host: HostPlan, plan: Plan): string[] => [
  `#### ${host.host}`,
  ...renderProblems(host),
  ...(host.changes.length > 0 ? [formatHostCounts(host, plan)] : []),
];

const tooLongNote = (limit: number, what: string): string =>
  `> [!NOTE]\n> The full plan is longer than GitHub's comment limit (${limit.toLocaleString("en-US")} characters): ${what}. \`netplan-k plan --full\` prints every change.`;

/**
 * The plan for a code review comment: title, summary, what blocks it, the graph (when given),
 * then one section per host that changes, folded when the plan is long (FOLD_THRESHOLD_LINES).
 * When that is longer than the limit, hosts show their counts instead of their changes, then
 * the graph goes, then hosts beyond what fits are counted; a note says which was done.
 */
export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const summary = summarizePlan(plan);
  const blockers = formatBlockers(summary);
  const changing = plan.hosts.filter(hasContent);
  const unchanged = plan.hosts
    .filter((host) => !hasContent(host))
    .map((host) => `\`${host.host}\``);
  const head = [
    `### netplan-k plan for \`${plan.topology}\` (${AGAINST[plan.against]})`,
    `**${formatSummary(summary)}**`,
    ...(blockers === undefined ? [] : [`> [!CAUTION]\n> ${blockers}`]),
    ...(options.warnings ?? []).map((warning) => `> [!WARNING]\n> ${warning.replace(/^! /, "")}`),
  ];
  const graph =
    options.graph === undefined
      ? []
      : [
          ["```mermaid", options.graph.trimEnd(), "```"].join("\n"),
          "_Paths: green new, amber changed, red removed; hosts that change in amber._",
        ];
  const tail =
    unchanged.length > 0 && unchanged.length < plan.hosts.length
      ? [`No changes on ${unchanged.join(", ")}.`]
      : [];
  const join = (sections: readonly string[]): string => `${sections.join("\n\n")}\n`;

  const lines = changing.reduce((sum, host) => sum + host.changes.length, 0);
  function* fullSections(): Generator<string> {
    yield* head;
    yield* graph;
    for (const host of changing) {
      yield* renderHost(host, plan, lines > FOLD_THRESHOLD_LINES, options.bgpPeers);
    }
    yield* tail;
  }
  const full = joinWithin(fullSections(), limit);
  if (full !== undefined) return full;

  const counts = changing.flatMap((host) => renderHostCounts(host, plan));
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
  return truncateHosts(head, changing, plan, limit, graph.length > 0);
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

/** As many hosts' counts as fit, then how many more there are. */
function truncateHosts(
  head: readonly string[],
  changing: readonly HostPlan[],
  plan: Plan,
  limit: number,
  hadGraph: boolean,
): string {
  const note = tooLongNote(
    limit,
    `hosts show their counts instead of their changes${hadGraph ? ", the graph is left out" : ""}, and only the first hosts are listed`,
  );
  const sections = [...head, note];
  // Room for the closing line, whatever the count of hosts left.
  const reserve = `… and ${changing.length} more hosts that change.`.length + 4;
  let used = sections.join("\n\n").length + 1;
  let shown = 0;
  for (const host of changing) {
    const text = renderHostCounts(host, plan).join("\n\n");
    if (used + text.length + 2 + reserve > limit) break;
    sections.push(text);
    used += text.length + 2;
    shown += 1;
  }
  sections.push(`… and ${changing.length - shown} more hosts that change.`);
  return `${sections.join("\n\n")}\n`;
}
