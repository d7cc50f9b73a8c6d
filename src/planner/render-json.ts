import { sortKeysDeep } from "./canonical-json.js";
import type { Change, Conflict, HostPlan, Plan } from "./plan.js";
import { summarizePlan } from "./summarize-plan.js";

/**
 * Plan, host, change and conflict members in a fixed, readable order (formatVersion first);
 * the kernel objects inside (before, after) with sorted keys. Same plan, same bytes.
 */
const orderChange = (change: Change): unknown => ({
  kind: change.kind,
  action: change.action,
  ...(change.netns === undefined ? {} : { netns: change.netns }),
  key: change.key,
  reason: change.reason,
  disruptive: change.disruptive,
  ...(change.before === undefined ? {} : { before: sortKeysDeep(change.before) }),
  ...(change.after === undefined ? {} : { after: sortKeysDeep(change.after) }),
});

const orderConflict = (conflict: Conflict): unknown => ({
  kind: conflict.kind,
  ...(conflict.netns === undefined ? {} : { netns: conflict.netns }),
  key: conflict.key,
  reason: conflict.reason,
});

const orderHost = (host: HostPlan): unknown => ({
  host: host.host,
  observedFingerprint: host.observedFingerprint,
  errors: host.errors,
  conflicts: host.conflicts.map(orderConflict),
  changes: host.changes.map(orderChange),
});

/**
 * The plan as saved by `plan --out` and read by `apply plan.json` (docs/plan-json.md), with
 * the summary counts a pipeline reads instead of summing the changes itself.
 */
export function renderPlanJson(plan: Plan): string {
  const ordered = {
    formatVersion: plan.formatVersion,
    topology: plan.topology,
    against: plan.against,
    ...(plan.source === undefined ? {} : { source: plan.source }),
    summary: summarizePlan(plan),
    hosts: plan.hosts.map(orderHost),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
