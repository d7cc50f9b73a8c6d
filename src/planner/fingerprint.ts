import { createHash } from "node:crypto";
import type { HostState } from "../model/index.js";
import { canonicalJson, sortKeysDeep } from "./canonical-json.js";

/** The fingerprint of a host planned against emptyHostState() rather than an observation. */
export const EMPTY_FINGERPRINT = "empty";

/** The fingerprint of a host that had no observed state (the plan holds an error for it). */
export const MISSING_FINGERPRINT = "none";

/** Sorts every list by its members' canonical text: the order a host lists objects in is not state. */
function sortListsDeep(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value
      .map(sortListsDeep)
      .map((member) => ({ member, text: canonicalJson(member) }))
      .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
      .map(({ member }) => member);
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, member]) => [key, sortListsDeep(member)]),
    );
  }
  return value;
}

/**
 * sha256 (hex) of the observed state in canonical JSON: keys sorted, lists sorted. A saved
 * plan is stale when a host's fingerprint differs at apply time.
 */
export const fingerprintHostState = (state: HostState): string =>
  createHash("sha256")
    .update(JSON.stringify(sortKeysDeep(sortListsDeep(state))))
    .digest("hex");
