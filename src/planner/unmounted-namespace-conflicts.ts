import type { NamespaceState } from "../model/index.js";
import type { Conflict } from "./plan.js";

/**
 * A workload namespace the plan must create whose name an entry of /run/netns already holds,
 * one that is no namespace (ObservedHost.unmountedNamespaces: a file left by an `ip netns add`
 * that did not finish, or made by hand). Measured in a private mount namespace: `ip netns add
 * NAME` then fails `Cannot create namespace file "/run/netns/NAME": File exists` (exit 1), so
 * the plan would promise what apply cannot do; `ip netns delete NAME` removes such a file
 * (exit 0). The file carries no marker of netplan-k's, so netplan-k does not remove it itself:
 * a conflict naming the fix.
 *
 * Takes the desired namespaces and the names of the host's unmounted entries; gives one
 * conflict per namespace in both.
 */
export function findUnmountedNamespaceConflicts(
  desired: readonly NamespaceState[],
  unmounted: readonly string[],
): Conflict[] {
  const stale = new Set(unmounted);
  return desired
    .filter((namespace) => stale.has(namespace.name))
    .map(({ name }) => ({
      kind: "namespace",
      key: name,
      reason:
        `/run/netns/${name} exists but is not a network namespace (a file left by an ip netns ` +
        `add that did not finish), so ip netns add ${name} would fail "File exists"; if nothing ` +
        `uses it, remove it (ip netns delete ${name}, or rm /run/netns/${name}) and plan again`,
    }));
}
