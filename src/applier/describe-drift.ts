import { labelObject } from "../planner/describe-object.js";
import type { Change, Conflict } from "../planner/plan.js";

/**
 * What verification found still wrong after an apply, one message per object, e.g.
 * "node-a: route 10.244.2.0/24 still differs after apply: want via 10.0.0.3, found via 10.0.0.9".
 */

type Fields = Readonly<Record<string, unknown>>;

/** Nested objects (a VTEP's settings) read as "vxlan.id 2". */
function flatten(object: Fields | undefined, prefix = ""): Map<string, string> {
  const flat = new Map<string, string>();
  for (const [key, value] of Object.entries(object ?? {})) {
    if (value !== null && typeof value === "object") {
      for (const [inner, text] of flatten(value as Fields, `${prefix}${key}.`)) {
        flat.set(inner, text);
      }
    } else if (value !== undefined) {
      flat.set(`${prefix}${key}`, String(value));
    }
  }
  return flat;
}

/**
 * The fields the desired object sets that the observed one does not match. A veth's `peer`
 * is left out: the kernel does not report it (it is checked as a link of the namespace).
 */
function differingFields(desired: Fields, observed: Fields | undefined): string[][] {
  const want = flatten(desired);
  const found = flatten(observed);
  return [...want]
    .filter(([field]) => !field.startsWith("peer."))
    .filter(([field, value]) => found.get(field) !== value)
    .map(([field, value]) => [field, value, found.get(field) ?? "(none)"]);
}

export function describeDrift(host: string, change: Change): string {
  const object = (change.after ?? change.before) as Parameters<typeof labelObject>[1];
  const label = labelObject(change.kind, object);
  const where = change.netns === undefined ? "" : ` in namespace ${change.netns}`;
  if (change.action === "create") return `${host}: ${label}${where} is still missing after apply`;
  if (change.action === "delete") {
    return `${host}: ${label}${where} is still present after apply, though not in the topology`;
  }
  const fields = differingFields(
    change.after as unknown as Fields,
    change.before as unknown as Fields | undefined,
  );
  const want = fields.map(([field, value]) => `${field} ${value}`).join(", ");
  const found = fields.map(([field, , value]) => `${field} ${value}`).join(", ");
  const detail =
    fields.length === 0
      ? change.reason
      : `want ${want}, found ${found}${change.action === "replace" ? " (must be recreated)" : ""}`;
  return `${host}: ${label}${where} still differs after apply: ${detail}`;
}

export const describeLeftConflict = (host: string, conflict: Conflict): string =>
  `${host}: after apply, ${conflict.reason}`;
