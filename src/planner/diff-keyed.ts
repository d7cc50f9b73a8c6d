import { formatReason, labelObject } from "./describe-object.js";
import { formatFieldChanges, type FieldChange } from "./field-changes.js";
import {
  createReason,
  makeChange,
  makeCreate,
  makeConflict,
  type DiffResult,
} from "./make-change.js";
import type { Change, Conflict, ObjectKind, PlanObjects } from "./plan.js";

/**
 * The diff every object kind shares: match by kernel identity (the model's key functions),
 * then create what is missing, update what differs, delete what is owned and no longer
 * desired, and report what is foreign and in the way. Kind-specific rules come in `rules`.
 */
export interface KeyedRules<K extends ObjectKind> {
  readonly kind: K;
  readonly netns: string | undefined;
  readonly keyOf: (object: PlanObjects[K]) => string;
  /** False for what the kernel adds by itself (normalisations.ts) unless desired names it. */
  readonly isCompared: (observed: PlanObjects[K], desiredKeys: ReadonlySet<string>) => boolean;
  readonly isOwned: (observed: PlanObjects[K]) => boolean;
  /** Each field that differs; empty when equal (an update when not). */
  readonly fieldChanges: (
    desired: PlanObjects[K],
    observed: PlanObjects[K],
  ) => readonly FieldChange[];
  /** What is in the way and what to do, for an observed object that is not owned. */
  readonly conflictReason: (observed: PlanObjects[K]) => string;
  readonly isUpdateDisruptive: (desired: PlanObjects[K], observed: PlanObjects[K]) => boolean;
  readonly isDeleteDisruptive: (observed: PlanObjects[K]) => boolean;
  /** Some kinds are never deleted (sysctls: other software may rely on them). */
  readonly deletes: boolean;
  /**
   * Observed objects left out of `observed` because the link they sit on is deleted or
   * recreated in this plan (they go with it), so that the plan says what is really there
   * instead of "missing".
   */
  readonly goneWithLink?: GoneWithLink<PlanObjects[K]>;
}

/** Objects that go with a link this plan deletes or recreates, and how each link goes. */
export interface GoneWithLink<T> {
  readonly objects: readonly T[];
  /** "recreated" or "deleted" for a link of this plan, undefined for a link that stays. */
  readonly fateOf: (dev: string) => LinkFate | undefined;
}

export type LinkFate = "recreated" | "deleted";

const devOf = (object: object): string | undefined =>
  "dev" in object && typeof object.dev === "string" ? object.dev : undefined;

/**
 * The observed objects by key. Two objects can share a key (`ip route prepend`/`append` keeps
 * two routes of one prefix, table and metric; the kernel uses the first): a foreign one is
 * kept over an owned one, so the plan judges what takes the key instead of passing it as
 * netplan-k's own (the breaker's prepended route planned "No changes" while it took a block).
 */
function keepForeignOnTie<T>(
  objects: readonly T[],
  keyOf: (object: T) => string,
  isOwned: (object: T) => boolean,
): Map<string, T> {
  const byKey = new Map<string, T>();
  for (const object of objects) {
    const key = keyOf(object);
    const held = byKey.get(key);
    // The last one listed, as a plain Map would keep, unless that would hide a foreign one.
    if (held === undefined || isOwned(held) || !isOwned(object)) byKey.set(key, object);
  }
  return byKey;
}

/** The key and reason of a desired object's create, with what they were made by. */
interface CreateStrings {
  readonly kind: ObjectKind;
  readonly keyOf: (object: never) => string;
  readonly key: string;
  readonly label: string;
  readonly reason: string;
}

/** By desired object: hosts that share an object share these strings (see createOf). */
const createStringsByObject = new WeakMap<object, CreateStrings>();

/**
 * The create of `want`, whose key, label and reason strings are made once per desired object
 * and shared by every host that holds the same object: a vxlan mesh's per-peer entries are
 * one object on every host (modes/vxlan.ts, peerTablesOf), and a string per create and host
 * was 3 million key and 6 million label and reason strings at 1,000 hosts, the garbage
 * collector's largest share. Objects are immutable values and keyOf and labelObject pure, so
 * a string made once equals the one made again; an entry is used only with the same kind and
 * key function.
 */
function createOf<K extends ObjectKind>(rules: KeyedRules<K>, want: PlanObjects[K]): Change {
  const { kind, netns, keyOf } = rules;
  let strings = createStringsByObject.get(want);
  if (strings === undefined || strings.kind !== kind || strings.keyOf !== keyOf) {
    const label = labelObject(kind, want);
    strings = { kind, keyOf, key: keyOf(want), label, reason: createReason(label) };
    createStringsByObject.set(want, strings);
  }
  return makeCreate(kind, netns, strings.key, want, strings.label, strings.reason);
}

export function diffKeyed<K extends ObjectKind>(
  rules: KeyedRules<K>,
  desired: readonly PlanObjects[K][],
  observed: readonly PlanObjects[K][],
): DiffResult {
  const { kind, netns, keyOf } = rules;
  const changes: Change[] = [];
  const conflicts: Conflict[] = [];
  const goneObjects = rules.goneWithLink?.objects ?? [];
  // An empty host (plan --empty, a fresh machine): every desired object is a create, and
  // nothing needs the desired keys as a set.
  if (observed.length === 0 && goneObjects.length === 0) {
    for (const want of desired) changes.push(createOf(rules, want));
    return { changes, conflicts };
  }
  const desiredKeys = new Set(desired.map(keyOf));
  const compared = observed.filter((object) => rules.isCompared(object, desiredKeys));
  const observedByKey = keepForeignOnTie(compared, keyOf, rules.isOwned);
  const goneByKey = new Map(goneObjects.map((object) => [keyOf(object), object]));

  for (const want of desired) {
    const key = keyOf(want);
    const found = observedByKey.get(key);
    const gone = found === undefined ? goneByKey.get(key) : undefined;
    if (gone !== undefined) {
      changes.push(changeForGone(rules, key, want, gone, labelObject(kind, want)));
    } else if (found === undefined) {
      changes.push(createOf(rules, want));
    } else if (!rules.isOwned(found)) {
      conflicts.push(makeConflict(kind, netns, key, rules.conflictReason(found)));
    } else {
      const differences = rules.fieldChanges(want, found);
      if (differences.length > 0) {
        changes.push(
          makeChange({
            kind,
            action: "update",
            netns,
            key,
            before: found,
            after: want,
            reason: formatReason(labelObject(kind, want), formatFieldChanges(differences)),
            disruptive: rules.isUpdateDisruptive(want, found),
          }),
        );
      }
    }
  }

  if (rules.deletes) {
    for (const found of compared) {
      const key = keyOf(found);
      if (desiredKeys.has(key) || !rules.isOwned(found)) continue;
      changes.push(
        makeChange({
          kind,
          action: "delete",
          netns,
          key,
          before: found,
          reason: formatReason(labelObject(kind, found), "not in the topology"),
          disruptive: rules.isDeleteDisruptive(found),
        }),
      );
    }
  }
  return { changes, conflicts };
}

/**
 * A desired object whose key the host holds on a link this plan deletes or recreates. When
 * the desired object moves to a link that stays (a mode switch moves a peer's route from
 * flannel.1 to eth0), it is an update in place (`ip route replace` before the old link goes),
 * shown with the fields that change; otherwise it is created again after its link, and the
 * reason says it is there now, on a link that goes.
 */
function changeForGone<K extends ObjectKind>(
  rules: KeyedRules<K>,
  key: string,
  want: PlanObjects[K],
  gone: PlanObjects[K],
  label: string,
): Change {
  const fateOf = rules.goneWithLink?.fateOf ?? (() => undefined);
  const wantDev = devOf(want);
  const differences = rules.fieldChanges(want, gone);
  if (
    wantDev !== undefined &&
    fateOf(wantDev) === undefined &&
    rules.isOwned(gone) &&
    differences.length > 0
  ) {
    return makeChange({
      kind: rules.kind,
      action: "update",
      netns: rules.netns,
      key,
      before: gone,
      after: want,
      reason: formatReason(label, formatFieldChanges(differences)),
      disruptive: rules.isUpdateDisruptive(want, gone),
    });
  }
  const dev = devOf(gone) ?? "";
  const where = `present on ${dev}, which this plan ${fateOf(dev) === "deleted" ? "deletes" : "recreates"}`;
  return makeChange({
    kind: rules.kind,
    action: "create",
    netns: rules.netns,
    key,
    after: want,
    reason: formatReason(label, where),
    disruptive: false,
  });
}
