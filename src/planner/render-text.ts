import picocolors from "picocolors";
import {
  bgpPeerChangesUnder,
  formatBgpPeerChange,
  type BgpPeerChanges,
} from "../modes/bgp-peer-changes.js";
import { changeSymbol, formatChangeBody, formatConflict } from "./change-line.js";
import { diffFileChange } from "./file-diff.js";
import { FULL_PLAN_CHANGE_LIMIT } from "./full-plan-change-limit.js";
import { shownAction, type Action, type Change, type HostPlan } from "./plan.js";
import {
  addSummaries,
  formatBlockers,
  formatCounts,
  formatSummary,
  summarizePlan,
  type PlanPurpose,
  type PlanSummary,
} from "./summarize-plan.js";

/** A style picocolors knows. */
type Style = "bold" | "red" | "green" | "yellow" | "magenta";

const ACTION_COLORS: Readonly<Record<Action, Style>> = {
  create: "green",
  update: "yellow",
  delete: "red",
  replace: "magenta",
};

/** Lines of a unified diff: "+" green, "-" red, the rest (context, "@@") as they are. */
const DIFF_LINE_COLORS: Readonly<Record<string, Style>> = { "+": "green", "-": "red" };

type Paint = (style: Style, text: string) => string;

export interface TextPlanOptions {
  readonly color: boolean;
  /** A destroy plan says "(destroy)" on each delete and "Nothing left to destroy." when empty. */
  readonly purpose?: PlanPurpose;
  /** BGP sessions each host opens and closes (listBgpPeerChanges), shown under BIRD's file. */
  readonly bgpPeers?: BgpPeerChanges;
  /**
   * Every change on its own line even when the plan has more than FULL_PLAN_CHANGE_LIMIT
   * (`plan --full`); otherwise such a plan shows one line per host.
   */
  readonly full?: boolean;
  /**
   * Paragraphs a reader must see before the summary (goneHostWarnings), each on its own:
   * called once every host is written, so a plan planned host by host can gather them as its
   * hosts go by.
   */
  readonly warnings?: () => readonly string[];
}

export { FULL_PLAN_CHANGE_LIMIT };

const hasContent = (host: HostPlan): boolean =>
  host.changes.length + host.conflicts.length + host.errors.length > 0 ||
  host.firedRevert !== undefined ||
  host.warnings !== undefined;

/**
 * A revert that fired since the last run (HostPlan.firedRevert) and what apply cannot repair
 * (HostPlan.warnings), as lines under their host.
 */
const renderHostNotes = (host: HostPlan, paint: Paint): string[] => [
  ...(host.firedRevert === undefined ? [] : [paint("yellow", `  ! ${host.firedRevert}`)]),
  ...(host.warnings ?? []).map((warning) => paint("yellow", `  ! ${warning}`)),
];

/**
 * The change's line, then what a reviewer needs under it: sessions, and the file's diff (the
 * service's line: the sessions it enables).
 */
function renderChange(
  change: Change,
  host: string,
  options: TextPlanOptions,
  paint: Paint,
): string[] {
  const detail =
    options.purpose === "destroy" && change.action === "delete" ? "destroy" : undefined;
  const line = `  ${paint(ACTION_COLORS[shownAction(change)], changeSymbol(change))} ${formatChangeBody(change, detail)}`;
  const peers = bgpPeerChangesUnder(change.kind, options.bgpPeers?.get(host) ?? []).map(
    formatBgpPeerChange,
  );
  if (change.kind !== "file" && peers.length === 0) return [line];
  const diff = change.kind === "file" ? diffFileChange(change) : [];
  return [
    line,
    ...[...peers, ...diff].map((text) => {
      const color = DIFF_LINE_COLORS[text.charAt(0)];
      return `      ${color === undefined ? text : paint(color, text)}`;
    }),
  ];
}

function renderHost(host: HostPlan, options: TextPlanOptions, paint: Paint): string[] {
  return [
    `${paint("bold", host.host)}:`,
    // What blocks the plan comes first: it is what the reader must act on.
    ...host.errors.map((error) => paint("red", `  ✗ error: ${error}`)),
    ...host.conflicts.map((conflict) => paint("red", `  ✗ conflict: ${formatConflict(conflict)}`)),
    ...renderHostNotes(host, paint),
    ...host.changes.flatMap((change) => renderChange(change, host.host, options, paint)),
  ];
}

/** A host of a plan too long to list: its counts, and what blocks it, in full. */
function renderHostSummary(host: HostPlan, paint: Paint): string[] {
  return [
    `${paint("bold", host.host)}: ${formatCounts(summarizePlan({ hosts: [host] }))}`,
    ...host.errors.map((error) => paint("red", `  ✗ error: ${error}`)),
    ...host.conflicts.map((conflict) => paint("red", `  ✗ conflict: ${formatConflict(conflict)}`)),
    ...renderHostNotes(host, paint),
  ];
}

/** What the text plan reads of a plan: its hosts, in order, as a list or planned one by one. */
export interface TextPlanInput {
  readonly hosts: Iterable<HostPlan>;
}

const NO_CHANGES: PlanSummary = summarizePlan({ hosts: [] });

/**
 * The plan for a terminal or a CI log, in pieces that end with a newline (one per host, so
 * that a plan of millions of lines is written without building it as one string): per host
 * with something to say its errors, conflicts and changes, one line each (BIRD's file with its
 * sessions and diff below it), then the hosts without changes on one line, then the
 * Terraform-style summary. A plan of more than FULL_PLAN_CHANGE_LIMIT changes shows one line
 * of counts per host and says how to see every change, unless `full`. ANSI colours only when
 * asked. Reads the hosts once, in order: hosts planned one by one (planHosts) are written
 * and let go, except that up to FULL_PLAN_CHANGE_LIMIT changes are held back until it is
 * known whether the plan is listed in full.
 */
export function* renderPlanTextChunks(
  plan: TextPlanInput,
  options: TextPlanOptions,
): Generator<string> {
  // The caller decides whether the output is a terminal: picocolors looks at no stream.
  const colors = picocolors.createColors(options.color);
  const paint: Paint = (style, text) => colors[style](text);
  let summary = NO_CHANGES;
  let changes = 0;
  let condensed = false;
  let written = 0;
  const unchanged: string[] = [];
  const heldBack: HostPlan[] = [];
  const write = (host: HostPlan): string => {
    const lines = condensed ? renderHostSummary(host, paint) : renderHost(host, options, paint);
    // Hosts are one block each when listed in full, one line each when counted.
    const chunk = `${written === 0 || condensed ? "" : "\n"}${lines.join("\n")}\n`;
    written++;
    return chunk;
  };
  for (const host of plan.hosts) {
    summary = addSummaries(summary, summarizePlan({ hosts: [host] }));
    changes += host.changes.length;
    if (!hasContent(host)) {
      unchanged.push(host.host);
      continue;
    }
    if (options.full === true || condensed) {
      yield write(host);
      continue;
    }
    heldBack.push(host);
    if (changes > FULL_PLAN_CHANGE_LIMIT) {
      condensed = true;
      for (const held of heldBack.splice(0)) yield write(held);
    }
  }
  for (const held of heldBack) yield write(held);
  const blockers = formatBlockers(summary);
  const footer = [
    ...(unchanged.length > 0 && written > 0 ? [`No changes on ${unchanged.join(", ")}.`] : []),
    ...(options.warnings?.() ?? []).map((warning) => paint("yellow", warning)),
    ...(condensed
      ? [
          `One line per host: the plan has ${changes} changes. See every change with ` +
            `"netplan-k plan --full", or as -o json.`,
        ]
      : []),
    [
      formatSummary(summary, options.purpose),
      ...(blockers === undefined ? [] : [paint("red", blockers)]),
    ].join("\n"),
  ];
  yield `${written > 0 ? "\n" : ""}${footer.join("\n\n")}\n`;
}

/** renderPlanTextChunks as one string, for plans that fit in one. */
export const renderPlanText = (plan: TextPlanInput, options: TextPlanOptions): string =>
  [...renderPlanTextChunks(plan, options)].join("");
