import type { Action, Change, Conflict, ConflictKind, ObjectKind, PlanObjects } from "./plan.js";
import { formatReason, labelObject } from "./describe-object.js";

/** Changes and conflicts found in one part of a host's state. */
export interface DiffResult {
  readonly changes: readonly Change[];
  readonly conflicts: readonly Conflict[];
}

export interface ChangeFields<K extends ObjectKind> {
  readonly kind: K;
  readonly action: Action;
  readonly netns: string | undefined;
  readonly key: string;
  readonly before?: PlanObjects[K];
  readonly after?: PlanObjects[K];
  readonly reason: string;
  readonly disruptive: boolean;
}

/**
 * A Change without undefined members, so that a plan read back from JSON equals the plan
 * written. One literal per combination of members, in the order of the Change type: a
 * thousand-host plan holds millions of changes, and a literal keeps every member in the
 * object itself (no spread to copy, no member added later into a separate store). The casts
 * are the one place TypeScript cannot follow a generic kind into the union.
 */
export function makeChange<K extends ObjectKind>(fields: ChangeFields<K>): Change {
  const { kind, action, netns, key, before, after, reason, disruptive } = fields;
  if (netns === undefined) {
    if (before === undefined) {
      return (
        after === undefined
          ? { kind, action, key, reason, disruptive }
          : { kind, action, key, after, reason, disruptive }
      ) as Change;
    }
    return (
      after === undefined
        ? { kind, action, key, before, reason, disruptive }
        : { kind, action, key, before, after, reason, disruptive }
    ) as Change;
  }
  if (before === undefined) {
    return (
      after === undefined
        ? { kind, action, netns, key, reason, disruptive }
        : { kind, action, netns, key, after, reason, disruptive }
    ) as Change;
  }
  return (
    after === undefined
      ? { kind, action, netns, key, before, reason, disruptive }
      : { kind, action, netns, key, before, after, reason, disruptive }
  ) as Change;
}

/**
 * An update of an object this plan creates without a create of its own (Change.createdWith),
 * its reason saying with what: "link lo: created with namespace red". Only a few changes per
 * new workload, so the copy is cheap.
 */
export const markCreatedWith = (change: Change, creation: string): Change => {
  const object = change.after ?? change.before;
  const label = object === undefined ? change.key : labelObject(change.kind, object);
  return {
    ...change,
    reason: formatReason(label, `created with ${creation}`),
    createdWith: creation,
  };
};

/** The reason of a create: "route 10.244.2.0/24: missing". */
export const createReason = (label: string): string => formatReason(label, "missing");

/**
 * A desired object that the host does not hold: "route 10.244.2.0/24: missing". `reason`:
 * createReason(label), when the caller already holds it (diff-keyed.ts shares one among hosts).
 */
export const makeCreate = <K extends ObjectKind>(
  kind: K,
  netns: string | undefined,
  key: string,
  after: PlanObjects[K],
  label: string,
  reason = createReason(label),
): Change =>
  makeChange({
    kind,
    action: "create",
    netns,
    key,
    after,
    reason,
    disruptive: false,
  });

export const makeConflict = (
  kind: ConflictKind,
  netns: string | undefined,
  key: string,
  reason: string,
): Conflict => ({ kind, ...(netns === undefined ? {} : { netns }), key, reason });

/** The changes and conflicts of every result, in order, copied once. */
export function mergeResults(results: readonly DiffResult[]): DiffResult {
  const changes: Change[] = [];
  const conflicts: Conflict[] = [];
  for (const result of results) {
    for (const change of result.changes) changes.push(change);
    for (const conflict of result.conflicts) conflicts.push(conflict);
  }
  return { changes, conflicts };
}
