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
 * the summary counts a pipeline reads instead of summing the changes itself. In pieces (the
 * head, then one per host) whose concatenation is exactly `JSON.stringify(plan, null, 2)` of
 * the ordered plan plus a newline: a thousand-host plan is hundreds of megabytes, more than
 * is wise to hold as one string (V8 caps a string at about 512 MB).
 */
export function* renderPlanJsonChunks(plan: Plan): Generator<string> {
  const head = JSON.stringify(
    {
      formatVersion: plan.formatVersion,
      topology: plan.topology,
      against: plan.against,
      ...(plan.source === undefined ? {} : { source: plan.source }),
      summary: summarizePlan(plan),
    },
    null,
    2,
  );
  // Open the hosts array where the head's closing "\n}" was.
  const open = `${head.slice(0, -2)},\n  "hosts": `;
  if (plan.hosts.length === 0) {
    yield `${open}[]\n}\n`;
    return;
  }
  yield `${open}[\n`;
  const last = plan.hosts.length - 1;
  for (const [index, host] of plan.hosts.entries()) {
    // JSON text holds no raw newline inside strings: indenting every line is safe.
    const text = JSON.stringify(orderHost(host), null, 2).replaceAll("\n", "\n    ");
    yield `    ${text}${index === last ? "" : ","}\n`;
  }
  yield "  ]\n}\n";
}

/** renderPlanJsonChunks as one string, for plans that fit in one. */
export const renderPlanJson = (plan: Plan): string => [...renderPlanJsonChunks(plan)].join("");
