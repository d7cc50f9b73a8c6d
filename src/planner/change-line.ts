import { describeObject, labelObject } from "./describe-object.js";
import type { Change, Conflict } from "./plan.js";
import { ACTION_SYMBOLS, shownAction } from "./plan.js";

const scopePrefix = (item: { readonly netns?: string }): string =>
  item.netns === undefined ? "" : `[${item.netns}] `;

/** The object a line shows: what will be there, or what goes. */
function describeChange(change: Change): string {
  switch (shownAction(change)) {
    case "update":
      // The reason lists the fields that change; the label says which object.
      return change.after === undefined ? change.key : labelObject(change.kind, change.after);
    case "delete":
      return change.before === undefined ? change.key : describeObject(change.kind, change.before);
    case "create":
    case "replace":
      return change.after === undefined ? change.key : describeObject(change.kind, change.after);
  }
}

/** A reason reads "<label>: <detail>"; next to the object only the detail is worth repeating. */
function reasonDetail(change: Change): string {
  const object = change.after ?? change.before;
  if (object === undefined) return change.reason;
  const prefix = `${labelObject(change.kind, object)}: `;
  return change.reason.startsWith(prefix) ? change.reason.slice(prefix.length) : change.reason;
}

/**
 * "[red] route 0.0.0.0/0 via 10.244.1.1 dev eth0  (missing)", without the symbol. A replace's
 * reason already says it is disruptive; other disruptive changes get a flag. `detail` replaces
 * the reason's detail where the context says more (a destroy plan's deletes: "destroy").
 */
export function formatChangeBody(change: Change, detail = reasonDetail(change)): string {
  const flag = change.disruptive && change.action !== "replace" ? "  [disruptive]" : "";
  return `${scopePrefix(change)}${describeChange(change)}  (${detail})${flag}`;
}

export const changeSymbol = (change: Change): string => ACTION_SYMBOLS[shownAction(change)];

export const formatConflict = (conflict: Conflict): string =>
  `${scopePrefix(conflict)}${conflict.reason}`;
