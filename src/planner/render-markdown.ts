import { changeSymbol, formatChangeBody, formatConflict } from "./change-line.js";
import type { HostPlan, Plan } from "./plan.js";
import { formatBlockers, formatSummary, summarizePlan } from "./summarize-plan.js";

const AGAINST: Readonly<Record<Plan["against"], string>> = {
  hosts: "against the hosts",
  snapshot: "against a snapshot of the hosts",
  empty: "against empty hosts",
};

const hasContent = (host: HostPlan): boolean =>
  host.changes.length + host.conflicts.length + host.errors.length > 0;

function renderHost(host: HostPlan): string[] {
  const problems = [
    ...host.errors.map((error) => `- ✗ error: ${error}`),
    ...host.conflicts.map((conflict) => `- ✗ conflict: ${formatConflict(conflict)}`),
  ];
  const sections = [`#### ${host.host}`];
  if (problems.length > 0) sections.push(problems.join("\n"));
  if (host.changes.length > 0) {
    // A diff block: GitHub colours "+" lines green and "-" lines red.
    const lines = host.changes.map(
      (change) => `${changeSymbol(change)} ${formatChangeBody(change)}`,
    );
    sections.push(["```diff", ...lines, "```"].join("\n"));
  }
  return sections;
}

/** The plan for a code review comment: summary, then one section per host that changes. */
export function renderPlanMarkdown(plan: Plan): string {
  const summary = summarizePlan(plan);
  const blockers = formatBlockers(summary);
  const unchanged = plan.hosts
    .filter((host) => !hasContent(host))
    .map((host) => `\`${host.host}\``);
  const sections = [
    `### netplan-k plan for \`${plan.topology}\` (${AGAINST[plan.against]})`,
    `**${formatSummary(summary)}**`,
    ...(blockers === undefined ? [] : [`> [!CAUTION]\n> ${blockers}`]),
    ...plan.hosts.filter(hasContent).flatMap(renderHost),
    ...(unchanged.length > 0 && unchanged.length < plan.hosts.length
      ? [`No changes on ${unchanged.join(", ")}.`]
      : []),
  ];
  return `${sections.join("\n\n")}\n`;
}
