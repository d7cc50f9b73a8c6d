import type {
  HostState,
  Link,
  NamespaceState,
  Route,
  UnderlayRequirement,
} from "../model/index.js";
import { formatReason, labelObject } from "./describe-object.js";
import { diffHostLevel } from "./diff-host-level.js";
import type { VethPeer } from "./diff-links.js";
import { diffNet } from "./diff-net.js";
import {
  makeChange,
  makeConflict,
  markCreatedWith,
  mergeResults,
  type DiffResult,
} from "./make-change.js";
import { orderChanges, orderConflicts } from "./order-changes.js";
import { clusterRangesOf, foreignOwnerPhrase, type Scope } from "./ownership-rules.js";
import type { Change, Conflict } from "./plan.js";
import { neededForwardingSysctls } from "./forwarding-sysctls.js";
import {
  devicesWithIpv6Disabled,
  neededIpv6EnabledSysctls,
  workloadIpv6EnabledChanges,
} from "./ipv6-enabled-sysctls.js";
import {
  findArpIgnoreConflicts,
  neededArpIgnoreSysctls,
  workloadArpIgnoreChanges,
} from "./arp-ignore.js";
import { freshNamespaceNet, freshVethPeer, projectSysctls } from "./project-observed.js";
import { routesLeavingWithBird } from "./routes-leaving-with-bird.js";
import { findUnderlayConflicts } from "./underlay-conflicts.js";
import { findBridgeFdbConflicts } from "./bridge-fdb-conflicts.js";
import {
  findWorkloadAddressConflicts,
  type WorkloadAddresses,
} from "./workload-address-conflicts.js";
import { findWorkloadRuleConflicts } from "./workload-rule-conflicts.js";
import { findNamespaceDeleteConflicts, judgeVethOtherEnds } from "./veth-other-end.js";
import { stalePathMtuChanges, staleHostPathMtuChanges } from "./stale-path-mtu.js";
import {
  findNamespaceStackedConflicts,
  judgeStackedLinks,
  judgeWorkloadStackedLinks,
} from "./stacked-links.js";

export interface DiffHostInput {
  readonly topology: string;
  readonly clusterCidr: string;
  /** The cluster's IPv6 range, when it is dual-stack (ownership of IPv6 routes). */
  readonly clusterCidrV6?: string;
  readonly desired: HostState;
  readonly observed: HostState;
  /** Routes a routing daemon installs in the host's namespace (DesiredState's `learned`). */
  readonly learned?: readonly Route[];
  /**
   * The host's underlay (HostRequirements.underlay): with it, the path to every peer's
   * underlay address is judged too (underlay-conflicts.ts). Absent: not judged.
   */
  readonly underlay?: Pick<UnderlayRequirement, "interface" | "address" | "prefix" | "v6">;
  /** The MAC of each peer's underlay interface by its underlay address, where observed. */
  readonly peerMacs?: ReadonlyMap<string, string>;
  /** Every workload of the topology by address, to name whose an address is. */
  readonly workloadAddresses?: WorkloadAddresses;
}

/** A veth peer that appears in a workload namespace, and the label of its pair's creation. */
interface FreshPeer {
  readonly link: Link;
  readonly createdWith: string;
}

/** Veth peers that appear in workload namespaces because their pair is created in this plan. */
function freshPeersByNamespace(rootChanges: readonly Change[]): Map<string, FreshPeer[]> {
  const peers = new Map<string, FreshPeer[]>();
  for (const change of rootChanges) {
    if (change.kind !== "link" || (change.action !== "create" && change.action !== "replace")) {
      continue;
    }
    const hostEnd = change.after;
    const peer = hostEnd?.peer;
    if (hostEnd === undefined || peer === undefined) continue;
    const fresh = {
      link: freshVethPeer(hostEnd, peer.name),
      createdWith: labelObject("link", hostEnd),
    };
    peers.set(peer.netns, [...(peers.get(peer.netns) ?? []), fresh]);
  }
  return peers;
}

/**
 * The underlay of each family the cluster has, with that family's range: the IPv4 address,
 * and a dual-stack host's IPv6 address on the same interface. None when not judged.
 */
function underlaysByFamily(input: DiffHostInput): {
  underlay: Pick<UnderlayRequirement, "interface" | "address" | "prefix">;
  clusterCidr: string;
}[] {
  const { underlay, clusterCidrV6 } = input;
  if (underlay === undefined) return [];
  const ipv4 = { underlay, clusterCidr: input.clusterCidr };
  if (underlay.v6 === undefined || clusterCidrV6 === undefined) return [ipv4];
  return [ipv4, { underlay: { ...underlay, ...underlay.v6 }, clusterCidr: clusterCidrV6 }];
}

const namespaceConflictReason = (namespace: NamespaceState, topology: string): string =>
  `namespace ${namespace.name} exists and ${foreignOwnerPhrase(namespace.owner)} ` +
  `(its lo does not carry the alias of topology ${topology}); ` +
  `remove it (ip netns del ${namespace.name}) or rename the workload`;

/**
 * Desired against observed state of one host: the changes in the order they must be applied,
 * and the foreign objects in the way. Pure: same input, same plan.
 */
export function diffHost(input: DiffHostInput): { changes: Change[]; conflicts: Conflict[] } {
  const { topology, clusterCidr, desired, observed } = input;
  const observedNamespaces = new Map(observed.namespaces.map((ns) => [ns.name, ns]));
  const isPeerPresent = (peer: VethPeer): boolean =>
    observedNamespaces
      .get(peer.netns)
      ?.net.links.some((link) => link.name === peer.name && link.kind === "veth") ?? false;
  const rootScope: Scope = {
    topology,
    clusterCidr,
    ...(input.clusterCidrV6 !== undefined && { clusterCidrV6: input.clusterCidrV6 }),
  };

  const rootDiff = diffNet({
    scope: rootScope,
    desired: desired.root,
    observed: observed.root,
    fresh: [],
    isPeerPresent,
    rules: observed.rules,
    learned: input.learned ?? [],
    ipv6Disabled: devicesWithIpv6Disabled(observed.sysctls),
    leavesWithDaemon: routesLeavingWithBird(topology, desired, observed),
  });
  // A link deleted takes with it the links stacked on it: a foreign one holds the delete.
  const rootStacked = judgeStackedLinks(rootScope, observed.root.links, rootDiff.changes);
  const root = { ...rootDiff, changes: rootStacked.changes };
  const freshPeers = freshPeersByNamespace(root.changes);

  const namespaceResults: DiffResult[] = [];
  const stackedConflicts: Conflict[] = [...rootStacked.conflicts];
  for (const want of desired.namespaces) {
    const found = observedNamespaces.get(want.name);
    const label = labelObject("namespace", want);
    if (found !== undefined && found.owner !== topology) {
      // Nothing inside a foreign namespace is touched, so its contents are not diffed.
      namespaceResults.push({
        changes: [],
        conflicts: [
          makeConflict("namespace", undefined, want.name, namespaceConflictReason(found, topology)),
        ],
      });
      continue;
    }
    const created =
      found === undefined
        ? [
            makeChange({
              kind: "namespace",
              action: "create",
              netns: undefined,
              key: want.name,
              after: { name: want.name },
              reason: formatReason(label, "missing"),
              disruptive: false,
            }),
          ]
        : [];
    const contents = diffNet({
      scope: { ...rootScope, netns: want.name },
      desired: want.net,
      observed: found?.net ?? freshNamespaceNet(),
      fresh: (freshPeers.get(want.name) ?? []).map((peer) => peer.link),
      isPeerPresent,
    });
    // A veth goes with its other end: one outside the topology's reach holds the delete.
    const vethJudged =
      found === undefined
        ? { changes: contents.changes, conflicts: [] }
        : judgeVethOtherEnds({
            scope: rootScope,
            workload: found,
            hostLinks: observed.root.links,
            changes: contents.changes,
          });
    // And the host end that goes with a veth, the links stacked on it.
    const stackedJudged =
      found === undefined
        ? { changes: vethJudged.changes, conflicts: [] }
        : judgeWorkloadStackedLinks(rootScope, found, observed.root.links, vethJudged.changes);
    stackedConflicts.push(...stackedJudged.conflicts);
    const judged = { changes: stackedJudged.changes, conflicts: vethJudged.conflicts };
    // The links this plan creates without a create of their own: the new namespace's lo,
    // the new pairs' ends. Their settings read as part of that creation.
    const creations = new Map<string, string>([
      ...(found === undefined ? [["lo", label] as const] : []),
      ...(freshPeers.get(want.name) ?? []).map(
        (peer) => [peer.link.name, peer.createdWith] as const,
      ),
    ]);
    // Settings of a namespace end that this plan recreates start over with it.
    const foundSysctls = found?.sysctls && projectSysctls(found.sysctls, contents.vanished);
    const arpIgnore = found === undefined ? [] : workloadArpIgnoreChanges(want, foundSysctls);
    const ipv6Enabled = found === undefined ? [] : workloadIpv6EnabledChanges(want, foundSysctls);
    const stalePathMtu =
      found === undefined ? [] : stalePathMtuChanges(want, found, { desired, observed });
    const ruleConflicts =
      found === undefined
        ? []
        : clusterRangesOf(rootScope).flatMap((range) =>
            findWorkloadRuleConflicts({
              netns: want.name,
              clusterCidr: range,
              rules: found.rules,
              routes: found.net.routes,
              addresses: found.net.addresses,
              desiredRoutes: want.net.routes,
            }),
          );
    const addressConflicts =
      found === undefined
        ? []
        : clusterRangesOf(rootScope).flatMap((range) =>
            findWorkloadAddressConflicts({
              clusterCidr: range,
              desired: want,
              observed: found,
              workloads: desired.namespaces,
              hostRoutes: desired.root.routes,
              ...(input.workloadAddresses !== undefined && {
                remoteWorkloads: input.workloadAddresses,
              }),
            }),
          );
    namespaceResults.push({
      changes: [
        ...created,
        ...judged.changes.map((change) => {
          const creation = change.kind === "link" ? creations.get(change.key) : undefined;
          return creation === undefined || change.action !== "update"
            ? change
            : markCreatedWith(change, creation);
        }),
        ...arpIgnore,
        ...ipv6Enabled,
        ...stalePathMtu,
      ],
      conflicts: [
        ...contents.conflicts,
        ...judged.conflicts,
        ...ruleConflicts,
        ...addressConflicts,
      ],
    });
  }

  // An owned namespace nobody wants goes as a whole: its contents go with it.
  const desiredNames = new Set(desired.namespaces.map((ns) => ns.name));
  const unwanted = observed.namespaces.filter(
    (ns) => ns.owner === topology && !desiredNames.has(ns.name),
  );
  // Unless a veth inside would take a foreign end with it.
  const namespaceDeleteConflicts = new Map(
    unwanted.map((ns) => [
      ns.name,
      findNamespaceDeleteConflicts(rootScope, ns, observed.root.links),
    ]),
  );
  // Or the host end of one would take a foreign link stacked on it.
  const namespaceStacked = new Map(
    unwanted.map((ns) => [
      ns.name,
      findNamespaceStackedConflicts(rootScope, ns, observed.root.links),
    ]),
  );
  stackedConflicts.push(...[...namespaceStacked.values()].flat());
  const deletedNamespaces = unwanted
    .filter(
      (ns) =>
        namespaceDeleteConflicts.get(ns.name)?.length === 0 &&
        namespaceStacked.get(ns.name)?.length === 0,
    )
    .map((ns) =>
      makeChange({
        kind: "namespace",
        action: "delete",
        netns: undefined,
        key: ns.name,
        before: { name: ns.name },
        reason: formatReason(labelObject("namespace", ns), "not in the topology"),
        disruptive: true,
      }),
    );

  const observedSysctls = projectSysctls(observed.sysctls, root.vanished);
  const forwarding = neededForwardingSysctls(desired, observedSysctls, input.underlay?.interface);
  const arpIgnore = neededArpIgnoreSysctls(desired, observedSysctls);
  const ipv6Enabled = neededIpv6EnabledSysctls(desired, observedSysctls);
  const hostLevel = diffHostLevel({
    topology,
    desired: {
      ...desired,
      sysctls: [...desired.sysctls, ...forwarding, ...arpIgnore, ...ipv6Enabled],
    },
    observed: { ...observed, sysctls: observedSysctls },
  });

  const underlay = underlaysByFamily(input).flatMap(({ underlay: ofFamily, clusterCidr: range }) =>
    findUnderlayConflicts({
      underlay: ofFamily,
      clusterCidr: range,
      desiredRoutes: desired.root.routes,
      desiredFdb: desired.root.fdb,
      learned: input.learned ?? [],
      routes: observed.root.routes,
      neighbours: observed.root.neighbours,
      rules: observed.rules,
      peerMacs: input.peerMacs ?? new Map(),
    }),
  );
  const bridgeFdb = findBridgeFdbConflicts({
    desired: desired.root,
    observed: observed.root,
    namespaces: observed.namespaces,
  });
  // A rule or route in the way of a block and of a peer's underlay is one conflict.
  const rootConflictKeys = new Set(root.conflicts.map((c) => `${c.kind}/${c.key}`));

  const all = mergeResults([
    root,
    {
      changes: staleHostPathMtuChanges(desired, observed, input.underlay?.interface),
      conflicts: [
        ...underlay.filter((c) => !rootConflictKeys.has(`${c.kind}/${c.key}`)),
        ...bridgeFdb,
        ...findArpIgnoreConflicts(observedSysctls, input.underlay?.interface),
      ],
    },
    ...namespaceResults,
    { changes: deletedNamespaces, conflicts: [...namespaceDeleteConflicts.values()].flat() },
    // One foreign link that several deletes would take is one conflict: the first that says so.
    {
      changes: [],
      conflicts: stackedConflicts.filter(
        (conflict, index) => stackedConflicts.findIndex((c) => c.key === conflict.key) === index,
      ),
    },
    hostLevel,
  ]);
  return { changes: orderChanges(all.changes), conflicts: orderConflicts(all.conflicts) };
}
