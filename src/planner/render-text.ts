import { changeSymbol, formatChangeBody, formatConflict } from "./change-line.js";
import type { Action, HostPlan, Plan } from "./plan.js";
import { formatBlockers, formatSummary, summarizePlan } from "./summarize-plan.js";

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

type Paint = (code: string, text: string) => string;

function renderHost(host: HostPlan, paint: Paint): string[] {
  if (host.changes.length + host.conflicts.length + host.errors.length === 0) {
    return [`${paint(ANSI.bold, host.host)}: no changes`];
  }
  return [
    `${paint(ANSI.bold, host.host)}:`,
    // What blocks the plan comes first: it is what the reader must act on.
    ...host.errors.map((error) => paint(ANSI.red, `  ✗ error: ${error}`)),
    ...host.conflicts.map((conflict) =>
      paint(ANSI.red, `  ✗ conflict: ${formatConflict(conflict)}`),
    ),
    ...host.changes.map(
      (change) =>
        `  ${paint(ACTION_COLORS[change.action], changeSymbol(change))} ${formatChangeBody(change)}`,
    ),
  ];
}

/**
 * The plan for a terminal or a CI log: per host its errors, conflicts and changes, one line
 * each, then the Terraform-style summary. ANSI colours only when asked for.
 */
export function renderPlanText(plan: Plan, options: { readonly color: boolean }): string {
  const paint: Paint = options.color ? (code, text) => `${code}${text}${ANSI.reset}` : (_, t) => t;
  const summary = summarizePlan(plan);
  const blockers = formatBlockers(summary);
  const hosts = plan.hosts.map((host) => renderHost(host, paint).join("\n"));
  const footer = [
    formatSummary(summary),
    ...(blockers === undefined ? [] : [paint(ANSI.red, blockers)]),
  ];
  return `${[...hosts, footer.join("\n")].join("\n\n")}\n`;
}
