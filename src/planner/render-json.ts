import { sortKeysDeep } from "./canonical-json.js";
import type { Change, Conflict, HostPlan, Plan } from "./plan.js";
import { summarizePlan, type PlanSummary } from "./summarize-plan.js";

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
  ...(change.createdWith === undefined ? {} : { createdWith: change.createdWith }),
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
  ...(host.firedRevert === undefined ? {} : { firedRevert: host.firedRevert }),
  ...(host.warnings === undefined ? {} : { warnings: host.warnings }),
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
export const renderPlanJsonChunks = (plan: Plan): Generator<string> =>
  renderPlanJsonStream(plan, summarizePlan(plan), plan.hosts);

/**
 * renderPlanJsonChunks of a plan whose hosts come one at a time (planHosts) and whose
 * summary was counted beforehand (a first pass over the same hosts): each host is written and
 * let go, so a plan of millions of changes is never held whole. `head`'s own hosts, if any,
 * are not read. The same bytes as renderPlanJsonChunks of the collected plan.
 */
export function* renderPlanJsonStream(
  head: Omit<Plan, "hosts">,
  summary: PlanSummary,
  hosts: Iterable<HostPlan>,
): Generator<string> {
  const headText = JSON.stringify(
    {
      formatVersion: head.formatVersion,
      topology: head.topology,
      against: head.against,
      ...(head.source === undefined ? {} : { source: head.source }),
      summary,
    },
    null,
    2,
  );
  // Open the hosts array where the head's closing "\n}" was.
  const open = `${headText.slice(0, -2)},\n  "hosts": `;
  // A host's text waits for the next host: only then is it known whether a comma follows.
  let previous: string | undefined;
  for (const host of hosts) {
    // JSON text holds no raw newline inside strings: indenting every line is safe.
    const text = `    ${JSON.stringify(orderHost(host), null, 2).replaceAll("\n", "\n    ")}`;
    yield previous === undefined ? `${open}[\n` : `${previous},\n`;
    previous = text;
  }
  yield previous === undefined ? `${open}[]\n}\n` : `${previous}\n  ]\n}\n`;
}

/** renderPlanJsonChunks as one string, for plans that fit in one. */
export const renderPlanJson = (plan: Plan): string => [...renderPlanJsonChunks(plan)].join("");
