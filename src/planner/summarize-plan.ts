import { shownAction, type Plan } from "./plan.js";

/**
 * What a plan changes, each change counted once by the action it shows (shownAction: an
 * update of an object the plan itself creates is an add), so that add + change +
 * replace + destroy is the number of changes, the number apply reports ("Apply complete:
 * N changes on …"): a replace (`±`) is one change, not an add and a destroy.
 */
export interface PlanSummary {
  /** Creates (`+`). */
  readonly add: number;
  /** Updates in place (`~`). */
  readonly change: number;
  /** Replaces (`±`: deleted and created again, one change). */
  readonly replace: number;
  /** Deletes (`-`). */
  readonly destroy: number;
  /** Hosts with at least one change. */
  readonly hosts: number;
  readonly conflicts: number;
  readonly errors: number;
}

/** The plan's counts (PlanSummary): each change once, by its action. Takes any list of hosts. */
export function summarizePlan(plan: Pick<Plan, "hosts">): PlanSummary {
  let add = 0;
  let change = 0;
  let replace = 0;
  let destroy = 0;
  let hosts = 0;
  let conflicts = 0;
  let errors = 0;
  for (const host of plan.hosts) {
    if (host.changes.length > 0) hosts++;
    conflicts += host.conflicts.length;
    errors += host.errors.length;
    for (const hostChange of host.changes) {
      const action = shownAction(hostChange);
      if (action === "create") add++;
      else if (action === "update") change++;
      else if (action === "replace") replace++;
      else destroy++;
    }
  }
  return { add, change, replace, destroy, hosts, conflicts, errors };
}

/** Two summaries as one: the counts of a plan written host by host, added up as it goes. */
export const addSummaries = (a: PlanSummary, b: PlanSummary): PlanSummary => ({
  add: a.add + b.add,
  change: a.change + b.change,
  replace: a.replace + b.replace,
  destroy: a.destroy + b.destroy,
  hosts: a.hosts + b.hosts,
  conflicts: a.conflicts + b.conflicts,
  errors: a.errors + b.errors,
});

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** What a plan is for: converging to the topology, or removing everything it created. */
export type PlanPurpose = "apply" | "destroy";

/**
 * "Plan: 12 to add, 1 to change, 2 to destroy on 3 hosts." (with "1 to replace, " before the
 * destroys when the plan replaces anything) or the no-change sentence, which for a destroy
 * plan says there is nothing left.
 */
export function formatSummary(summary: PlanSummary, purpose: PlanPurpose = "apply"): string {
  if (countChanges(summary) === 0 && summary.conflicts + summary.errors === 0) {
    return purpose === "destroy"
      ? "Nothing left to destroy."
      : "No changes. Every host matches the topology.";
  }
  return `Plan: ${formatCounts(summary)} on ${plural(summary.hosts, "host")}.`;
}

/** "15 to add, 2 to change, 0 to destroy", with "1 to replace, " when there are replaces. */
export function formatCounts({ add, change, replace, destroy }: PlanSummary): string {
  const replaces = replace > 0 ? `${replace} to replace, ` : "";
  return `${add} to add, ${change} to change, ${replaces}${destroy} to destroy`;
}

/** How many changes the summary counts: what apply reports when it has made them. */
export const countChanges = (summary: PlanSummary): number =>
  summary.add + summary.change + summary.replace + summary.destroy;

/** "2 conflicts and 1 error": what keeps the plan from being applied, or undefined. */
export function countBlockers(summary: PlanSummary): string | undefined {
  const blockers = [
    ...(summary.conflicts > 0 ? [plural(summary.conflicts, "conflict")] : []),
    ...(summary.errors > 0 ? [plural(summary.errors, "error")] : []),
  ];
  return blockers.length === 0 ? undefined : blockers.join(" and ");
}

/** Why the plan cannot be applied, or undefined when it can. */
export function formatBlockers(summary: PlanSummary): string | undefined {
  const blockers = countBlockers(summary);
  if (blockers === undefined) return undefined;
  const verb = summary.conflicts + summary.errors === 1 ? "needs" : "need";
  return `This plan cannot be applied: ${blockers} ${verb} resolving first.`;
}
