import {
  addressKey,
  fdbKey,
  linkKey,
  managedFileKey,
  neighbourKey,
  routeKey,
  serviceKey,
  sysctlKey,
  type HostState,
  type NamespaceState,
  type NetState,
} from "../model/index.js";
import { CompileError } from "./compile-error.js";
import type { HostContribution, NetContribution } from "./contribution.js";

/**
 * Merges the contributions of every-host settings, the mode and the attach style into one
 * HostState. Every array is sorted by its model key function (plain code-unit order, never
 * the locale's), which makes the state byte-for-byte deterministic whatever order the
 * contributors and the topology listed things in.
 */

/** The items sorted by key; throws CompileError (at `where`) when two share a key. */
const byKey = <T>(items: readonly T[], keyOf: (item: T) => string, where: string): T[] => {
  // Modes list what they make per peer in key order (vxlan.ts): then one pass says so and
  // nothing is sorted. Strictly ascending also means no key comes twice.
  const keys = items.map(keyOf);
  if (keys.every((key, index) => index === 0 || (keys[index - 1] as string) < key)) {
    return [...items];
  }
  const keyed = items.map((item, index) => ({ key: keys[index] as string, item }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  keyed.forEach(({ key }, index) => {
    if (index > 0 && keyed[index - 1]?.key === key) {
      throw new CompileError(
        `${where}: two desired objects with the key "${key}"; the topology must give each ` +
          "workload, address and block only once",
      );
    }
  });
  return keyed.map(({ item }) => item);
};

const sortNet = (parts: readonly NetContribution[], where: string): NetState => ({
  links: byKey(
    parts.flatMap((part) => part.links ?? []),
    linkKey,
    `${where} link`,
  ),
  addresses: byKey(
    parts.flatMap((part) => part.addresses ?? []),
    addressKey,
    `${where} address`,
  ),
  routes: byKey(
    parts.flatMap((part) => part.routes ?? []),
    routeKey,
    `${where} route`,
  ),
  neighbours: byKey(
    parts.flatMap((part) => part.neighbours ?? []),
    neighbourKey,
    `${where} neighbour`,
  ),
  fdb: byKey(
    parts.flatMap((part) => part.fdb ?? []),
    fdbKey,
    `${where} fdb entry`,
  ),
});

const sortNamespace = (namespace: NamespaceState, host: string): NamespaceState => ({
  ...namespace,
  net: sortNet([namespace.net], `${host}, namespace ${namespace.name},`),
});

export function assembleHostState(
  host: string,
  contributions: readonly HostContribution[],
): HostState {
  return {
    root: sortNet(
      contributions.map((contribution) => contribution.root ?? {}),
      host,
    ),
    namespaces: byKey(
      contributions.flatMap((contribution) => contribution.namespaces ?? []),
      (namespace) => namespace.name,
      `${host} namespace`,
    ).map((namespace) => sortNamespace(namespace, host)),
    sysctls: byKey(
      contributions.flatMap((contribution) => contribution.sysctls ?? []),
      sysctlKey,
      `${host} sysctl`,
    ),
    files: byKey(
      contributions.flatMap((contribution) => contribution.files ?? []),
      managedFileKey,
      `${host} file`,
    ),
    services: byKey(
      contributions.flatMap((contribution) => contribution.services ?? []),
      serviceKey,
      `${host} service`,
    ),
  };
}
