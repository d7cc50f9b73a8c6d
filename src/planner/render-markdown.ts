import {
  formatBgpPeerChange,
  type BgpPeerChange,
  type BgpPeerChanges,
} from "./bgp-peer-changes.js";
import { changeSymbol, formatChangeBody, formatConflict } from "./change-line.js";
import { diffFileChange } from "./file-diff.js";
import type { Change, HostPlan, Plan } from "./plan.js";
import { formatBlockers, formatSummary, summarizePlan } from "./summarize-plan.js";

const AGAINST: Readonly<Record<Plan["against"], string>> = {
  hosts: "against the hosts",
  snapshot: "against a snapshot of the hosts",
  empty: "against empty hosts",
};

const hasContent = (host: HostPlan): boolean =>
  host.changes.length + host.conflicts.length + host.errors.length > 0;

/** A change's diff line, then under BIRD's file the sessions it opens and closes and its diff. */
function renderChange(change: Change, peers: readonly BgpPeerChange[]): string[] {
  const line = `${changeSymbol(change)} ${formatChangeBody(change)}`;
  if (change.kind !== "file") return [line];
  return [line, ...peers.map(formatBgpPeerChange), ...diffFileChange(change)];
}

function renderHost(host: HostPlan, bgpPeers: BgpPeerChanges | undefined): string[] {
  const problems = [
    ...host.errors.map((error) => `- ✗ error: ${error}`),
    ...host.conflicts.map((conflict) => `- ✗ conflict: ${formatConflict(conflict)}`),
  ];
  const sections = [`#### ${host.host}`];
  if (problems.length > 0) sections.push(problems.join("\n"));
  if (host.changes.length > 0) {
    // A diff block: GitHub colours "+" lines green and "-" lines red.
    const peers = bgpPeers?.get(host.host) ?? [];
    const lines = host.changes.flatMap((change) => renderChange(change, peers));
    sections.push(["```diff", ...lines, "```"].join("\n"));
  }
  return sections;
}

/**
 * The plan for a code review comment: summary, then one section per host that changes. With
 * `bgpPeers` (listBgpPeerChanges), BIRD's file shows the sessions it opens and closes.
 */
export function renderPlanMarkdown(
  plan: Plan,
  options: { readonly bgpPeers?: BgpPeerChanges } = {},
): string {
  const summary = summarizePlan(plan);
  const blockers = formatBlockers(summary);
  const unchanged = plan.hosts
    .filter((host) => !hasContent(host))
    .map((host) => `\`${host.host}\``);
  const sections = [
    `### netplan-k plan for \`${plan.topology}\` (${AGAINST[plan.against]})`,
    `**${formatSummary(summary)}**`,
    ...(blockers === undefined ? [] : [`> [!CAUTION]\n> ${blockers}`]),
    ...plan.hosts.filter(hasContent).flatMap((host) => renderHost(host, options.bgpPeers)),
    ...(unchanged.length > 0 && unchanged.length < plan.hosts.length
      ? [`No changes on ${unchanged.join(", ")}.`]
      : []),
  ];
  return `${sections.join("\n\n")}\n`;
}
