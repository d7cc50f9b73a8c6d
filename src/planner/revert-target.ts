import type { HostState } from "../model/index.js";
import type { Change } from "./plan.js";
import { planRollback, type OwnerScope } from "./rollback-target.js";

/**
 * The changes of a confirm-timeout revert (issue 11, point 3): computed by the controller
 * before it changes a host, run by the host itself if nobody confirms in time, so it must undo
 * whatever part of the apply ran. It is the rollback (rollback-target.ts) planned from the
 * state a whole apply leaves (the host's desired state: every owned object as the topology
 * wants it) back to the owned part of the pre-apply observation: only objects netplan-k owns
 * or adopted, never a foreign one. On a host where only part of the apply ran, a deletion of
 * an object not yet made, or a creation of one not yet removed, fails and the revert goes on
 * (applier/armed-revert-script.ts runs every line whatever the one before did); what the apply
 * did change is what the revert changes back.
 *
 * Two things the desired state does not say are taken from the forward plan (`forward`, the
 * host's changes): a creation is kept only when the plan changes that object or deletes or
 * recreates what holds it (its device, its namespace): what the kernel makes by itself in an
 * owned namespace (lo's address, the local table) is in the pre-apply observation but never
 * in a desired state, and no apply touches it. And sysctls: only those the desired state
 * names are written back (the apply writes no other), where the pre-apply observation read
 * them (a device the apply created goes with its sysctls). Pure.
 */
export function planRevert(
  owner: OwnerScope,
  before: HostState,
  desired: HostState,
  forward: readonly Change[],
): Change[] {
  const written = new Set(desired.sysctls.map((sysctl) => sysctl.key));
  const target: HostState = {
    ...before,
    sysctls: before.sysctls.filter((sysctl) => written.has(sysctl.key)),
  };
  const touched = new Set(forward.map(identityOf));
  const removed = forward.filter(
    (change) => change.action === "delete" || change.action === "replace",
  );
  const goneNamespaces = new Set(
    removed.filter((change) => change.kind === "namespace").map((change) => change.key),
  );
  const goneLinks = new Set(
    removed
      .filter((change) => change.kind === "link")
      .map((change) => `${change.netns ?? ""}/${change.key}`),
  );
  const isHeldByGone = (change: Change): boolean => {
    if (change.netns !== undefined && goneNamespaces.has(change.netns)) return true;
    const dev = (change.after as { readonly dev?: unknown } | undefined)?.dev;
    return typeof dev === "string" && goneLinks.has(`${change.netns ?? ""}/${dev}`);
  };
  return planRollback(owner, target, desired).changes.filter(
    (change) =>
      change.action !== "create" || touched.has(identityOf(change)) || isHeldByGone(change),
  );
}

/** An object's identity on a host, whatever is done to it. */
const identityOf = (change: Change): string => `${change.kind}/${change.netns ?? ""}/${change.key}`;
