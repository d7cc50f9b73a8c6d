import type { Action, Change, Conflict, ConflictKind, ObjectKind, PlanObjects } from "./plan.js";
import { formatReason } from "./describe-object.js";

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
 * written. The cast is the one place TypeScript cannot follow a generic kind into the union.
 */
export function makeChange<K extends ObjectKind>(fields: ChangeFields<K>): Change {
  return {
    kind: fields.kind,
    action: fields.action,
    ...(fields.netns === undefined ? {} : { netns: fields.netns }),
    key: fields.key,
    ...(fields.before === undefined ? {} : { before: fields.before }),
    ...(fields.after === undefined ? {} : { after: fields.after }),
    reason: fields.reason,
    disruptive: fields.disruptive,
  } as Change;
}

/** A desired object that the host does not hold: "route 10.244.2.0/24: missing". */
export const makeCreate = <K extends ObjectKind>(
  kind: K,
  netns: string | undefined,
  key: string,
  after: PlanObjects[K],
  label: string,
): Change =>
  makeChange({
    kind,
    action: "create",
    netns,
    key,
    after,
    reason: formatReason(label, "missing"),
    disruptive: false,
  });

export const makeConflict = (
  kind: ConflictKind,
  netns: string | undefined,
  key: string,
  reason: string,
): Conflict => ({ kind, ...(netns === undefined ? {} : { netns }), key, reason });

export const mergeResults = (results: readonly DiffResult[]): DiffResult => ({
  changes: results.flatMap((result) => result.changes),
  conflicts: results.flatMap((result) => result.conflicts),
});
