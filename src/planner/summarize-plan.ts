import type { Plan } from "./plan.js";

export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Hosts with at least one change. */
  readonly hosts: number;
  readonly conflicts: number;
  readonly errors: number;
}

/** Counts like Terraform's: a replace is one add and one destroy. Takes any list of hosts. */
export function summarizePlan(plan: Pick<Plan, "hosts">): PlanSummary {
  let add = 0;
  let change = 0;
  let destroy = 0;
  let hosts = 0;
  let conflicts = 0;
  let errors = 0;
  for (const host of plan.hosts) {
    if (host.changes.length > 0) hosts++;
    conflicts += host.conflicts.length;
    errors += host.errors.length;
    for (const { action } of host.changes) {
      if (action === "create" || action === "replace") add++;
      if (action === "update") change++;
      if (action === "delete" || action === "replace") destroy++;
    }
  }
  return { add, change, destroy, hosts, conflicts, errors };
}

const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? "" : "s"}`;

/** What a plan is for: converging to the topology, or removing everything it created. */
export type PlanPurpose = "apply" | "destroy";

/**
 * "Plan: 12 to add, 1 to change, 2 to destroy on 3 hosts." or the no-change sentence, which
 * for a destroy plan says there is nothing left.
 */
export function formatSummary(summary: PlanSummary, purpose: PlanPurpose = "apply"): string {
  const { add, change, destroy } = summary;
  if (add + change + destroy === 0 && summary.conflicts + summary.errors === 0) {
    return purpose === "destroy"
      ? "Nothing left to destroy."
      : "No changes. Every host matches the topology.";
  }
  return `Plan: ${add} to add, ${change} to change, ${destroy} to destroy on ${plural(summary.hosts, "host")}.`;
}

/** Why the plan cannot be applied, or undefined when it can. */
export function formatBlockers(summary: PlanSummary): string | undefined {
  const blockers = [
    ...(summary.conflicts > 0 ? [plural(summary.conflicts, "conflict")] : []),
    ...(summary.errors > 0 ? [plural(summary.errors, "error")] : []),
  ];
  if (blockers.length === 0) return undefined;
  const verb = summary.conflicts + summary.errors === 1 ? "needs" : "need";
  return `This plan cannot be applied: ${blockers.join(" and ")} ${verb} resolving first.`;
}
