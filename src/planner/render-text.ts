import picocolors from "picocolors";
import { formatBgpPeerChange, type BgpPeerChanges } from "../modes/bgp-peer-changes.js";
import { changeSymbol, formatChangeBody, formatConflict } from "./change-line.js";
import { diffFileChange } from "./file-diff.js";
import type { Action, Change, HostPlan, Plan } from "./plan.js";
import {
  formatBlockers,
  formatSummary,
  summarizePlan,
  type PlanPurpose,
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
}

const hasContent = (host: HostPlan): boolean =>
  host.changes.length + host.conflicts.length + host.errors.length > 0;

/** The change's line, then what a reviewer needs under it: sessions, and the file's diff. */
function renderChange(
  change: Change,
  host: string,
  options: TextPlanOptions,
  paint: Paint,
): string[] {
  const detail =
    options.purpose === "destroy" && change.action === "delete" ? "destroy" : undefined;
  const line = `  ${paint(ACTION_COLORS[change.action], changeSymbol(change))} ${formatChangeBody(change, detail)}`;
  if (change.kind !== "file") return [line];
  const peers = (options.bgpPeers?.get(host) ?? []).map(formatBgpPeerChange);
  const diff = diffFileChange(change);
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
    ...host.changes.flatMap((change) => renderChange(change, host.host, options, paint)),
  ];
}

/**
 * The plan for a terminal or a CI log: per host with something to say its errors, conflicts
 * and changes, one line each (BIRD's file with its sessions and diff below it), then the hosts
 * without changes on one line, then the Terraform-style summary. ANSI colours only when asked.
 */
export function renderPlanText(plan: Plan, options: TextPlanOptions): string {
  // The caller decides whether the output is a terminal: picocolors looks at no stream.
  const colors = picocolors.createColors(options.color);
  const paint: Paint = (style, text) => colors[style](text);
  const summary = summarizePlan(plan);
  const blockers = formatBlockers(summary);
  const hosts = plan.hosts
    .filter(hasContent)
    .map((host) => renderHost(host, options, paint).join("\n"));
  const unchanged = plan.hosts.filter((host) => !hasContent(host)).map((host) => host.host);
  const footer = [
    formatSummary(summary, options.purpose),
    ...(blockers === undefined ? [] : [paint("red", blockers)]),
  ];
  return `${[
    ...hosts,
    ...(unchanged.length > 0 && hosts.length > 0 ? [`No changes on ${unchanged.join(", ")}.`] : []),
    footer.join("\n"),
  ].join("\n\n")}\n`;
}
