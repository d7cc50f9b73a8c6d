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

const ANSI = {
  reset: "\x1b[0m",
  bold: "\x1b[1m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  magenta: "\x1b[35m",
} as const;

const ACTION_COLORS: Readonly<Record<Action, string>> = {
  create: ANSI.green,
  update: ANSI.yellow,
  delete: ANSI.red,
  replace: ANSI.magenta,
};

/** Lines of a unified diff: "+" green, "-" red, the rest (context, "@@") as they are. */
const DIFF_LINE_COLORS: Readonly<Record<string, string>> = { "+": ANSI.green, "-": ANSI.red };

type Paint = (code: string, text: string) => string;

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
    `${paint(ANSI.bold, host.host)}:`,
    // What blocks the plan comes first: it is what the reader must act on.
    ...host.errors.map((error) => paint(ANSI.red, `  ✗ error: ${error}`)),
    ...host.conflicts.map((conflict) =>
      paint(ANSI.red, `  ✗ conflict: ${formatConflict(conflict)}`),
    ),
    ...host.changes.flatMap((change) => renderChange(change, host.host, options, paint)),
  ];
}

/**
 * The plan for a terminal or a CI log: per host with something to say its errors, conflicts
 * and changes, one line each (BIRD's file with its sessions and diff below it), then the hosts
 * without changes on one line, then the Terraform-style summary. ANSI colours only when asked.
 */
export function renderPlanText(plan: Plan, options: TextPlanOptions): string {
  const paint: Paint = options.color ? (code, text) => `${code}${text}${ANSI.reset}` : (_, t) => t;
  const summary = summarizePlan(plan);
  const blockers = formatBlockers(summary);
  const hosts = plan.hosts
    .filter(hasContent)
    .map((host) => renderHost(host, options, paint).join("\n"));
  const unchanged = plan.hosts.filter((host) => !hasContent(host)).map((host) => host.host);
  const footer = [
    formatSummary(summary, options.purpose),
    ...(blockers === undefined ? [] : [paint(ANSI.red, blockers)]),
  ];
  return `${[
    ...hosts,
    ...(unchanged.length > 0 && hosts.length > 0 ? [`No changes on ${unchanged.join(", ")}.`] : []),
    footer.join("\n"),
  ].join("\n\n")}\n`;
}
