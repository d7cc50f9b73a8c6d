import type { HeldRemovals } from "./converge-result.js";

/**
 * "node-1: removals held (3 deletes): node-2 failed before the remove phase, and its old paths
 * may still use what they would delete; run apply again once node-2 is fixed": why a built
 * host kept its old objects (HeldRemovals), for the report and the events, one line.
 */
export function describeHeldRemovals(host: string, held: HeldRemovals): string {
  const one = held.failed.length === 1;
  const failed = held.failed.join(", ");
  const deletes = `${held.removals} ${held.removals === 1 ? "delete" : "deletes"}`;
  return (
    `${host}: removals held (${deletes}): ${failed} failed before the remove phase, and ` +
    `${one ? "its" : "their"} old paths may still use what they would delete; ` +
    `run apply again once ${failed} ${one ? "is" : "are"} fixed`
  );
}
