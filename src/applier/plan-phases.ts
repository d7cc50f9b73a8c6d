import type { Change } from "../planner/plan.js";

/**
 * A host's changes in the two phases apply runs across hosts (apply-plan-phased.ts):
 * `build` makes every new path (creates, updates, replaces, files written, BIRD started or
 * reloaded) and `removals` takes old ones away (the deletes at the end of the plan). Each
 * keeps the plan's order. The planner puts every delete after every other change
 * (order-changes.ts) but one kind: an address that must go before a route can be written
 * through it as a gateway. Such a delete, placed before a create, runs in build, where the
 * planner put it; the removals are the deletes after the last other change.
 */
export interface PlanPhases {
  readonly build: readonly Change[];
  readonly removals: readonly Change[];
}

export function splitPlanPhases(changes: readonly Change[]): PlanPhases {
  let cut = changes.length;
  while (cut > 0 && changes[cut - 1]?.action === "delete") cut--;
  return { build: changes.slice(0, cut), removals: changes.slice(cut) };
}
