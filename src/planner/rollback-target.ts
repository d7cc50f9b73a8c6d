import type { HostState, Link, NetState, Service } from "../model/index.js";
import { ROUTED_HOST_VETH_MAC } from "../modes/naming.js";
import { diffHost } from "./diff-host.js";
import { fingerprintHostState, withoutVolatile } from "./fingerprint.js";
import {
  isAddressOwnedOn,
  isFileOwned,
  isLinkOwned,
  isRouteOwned,
  type Scope,
} from "./ownership-rules.js";
import type { Change, Conflict } from "./plan.js";

/**
 * The state a failed apply puts a host back to, computed from the observation made before the
 * apply (issue 11, point 2): the objects the topology owned then, as the kernel showed them.
 *
 * What "exact" covers: every object netplan-k owns by its marks (ownership.ts) with every
 * field the observation reads that netplan-k sets: links (kind, MTU, state, alias, master,
 * VXLAN settings, and the MAC where netplan-k fixes one: see macSetByNetplanK;
 * an adopted tunl0 through its alias, so a device adopted by the failed run is handed back as
 * it was found), their addresses, neighbours and fdb entries, routes of the route protocol
 * inside the cluster CIDR, owned workload namespaces with everything in them, the files
 * netplan-k wrote and the services that read them, and the sysctls the observation reads (a
 * sysctl is nobody's, but the failed run may have set one; only those of devices that still
 * exist, or that the target creates again, are written back).
 *
 * What it cannot restore: foreign objects are never in the target, so one that a failed
 * command removed stays removed (netplan-k only deletes what it owns, so only a foreign
 * object's side effect can do that, e.g. a route the kernel dropped with an owned device);
 * counters, dynamic neighbours (the kernel flushes a bridge's when its MAC changes, e.g. when a
 * port with a lower MAC joins: they come back with traffic), ifindexes, and MACs the kernel
 * chose (a bridge's follows its ports, a veth's is random); the peer end of an owned veth the
 * failed run deleted (the observation does not say where it went).
 */

/**
 * Whether netplan-k fixes this link's MAC, so that a rollback restores it: a VTEP's (peers'
 * fdb and neighbour entries name it; modes/vxlan.ts derives it from the host's name) and the
 * host end of a routed workload's veth (the workload's permanent neighbour names it). Every
 * other MAC is the kernel's choice, and a rollback neither writes nor compares it.
 */
const macSetByNetplanK = (link: Link): boolean =>
  link.kind === "vxlan" || link.mac?.toLowerCase() === ROUTED_HOST_VETH_MAC;

/** `link` without the MAC when the kernel chose it (macSetByNetplanK). */
function withoutKernelMac(link: Link): Link {
  if (macSetByNetplanK(link)) return link;
  const { mac: _kernelChosen, ...rest } = link;
  return rest;
}

/** The objects of `state` that topology `scope.topology` owns (ownership-rules.ts). */
function ownedNet(scope: Scope, net: NetState): NetState {
  const links = net.links.filter((link) => isLinkOwned(scope, link)).map(withoutKernelMac);
  const byName = new Map(links.map((link) => [link.name, link]));
  const isOnOwnedDev = (object: { readonly dev: string }): boolean => byName.has(object.dev);
  return {
    links,
    addresses: net.addresses.filter(
      (address) =>
        isOnOwnedDev(address) && isAddressOwnedOn(scope, byName.get(address.dev), address.cidr),
    ),
    routes: net.routes.filter((route) => isRouteOwned(scope, route)),
    neighbours: withoutVolatile(net).neighbours.filter(isOnOwnedDev),
    fdb: net.fdb.filter(isOnOwnedDev),
  };
}

/** What owns a host's objects: the topology and its cluster CIDR (route ownership). */
export interface OwnerScope {
  readonly topology: string;
  readonly clusterCidr: string;
  /** The cluster's IPv6 range, when it is dual-stack. */
  readonly clusterCidrV6?: string;
}

/** The OwnerScope of a desired state. */
export const ownerScopeOf = (desired: OwnerScope): OwnerScope => ({
  topology: desired.topology,
  clusterCidr: desired.clusterCidr,
  ...(desired.clusterCidrV6 !== undefined && { clusterCidrV6: desired.clusterCidrV6 }),
});

/**
 * The part of an observed host state that `owner` owns, as netplan-k sets it (no dynamic
 * neighbours, no MAC the kernel chose): owned links and what lives on them,
 * owned routes, owned namespaces whole, owned files, the services those files configure (or
 * whose file does not exist: nobody else's), and every sysctl read. Foreign objects and the
 * routing rules are left out. Pure.
 */
export function ownedHostState(owner: OwnerScope, state: HostState): HostState {
  const scope: Scope = ownerScopeOf(owner);
  const files = state.files.filter((file) => isFileOwned(owner.topology, file.content));
  const filePaths = new Set(state.files.map((file) => file.path));
  const ownedPaths = new Set(files.map((file) => file.path));
  const isServiceOwned = (service: Service): boolean =>
    ownedPaths.has(service.configPath) || !filePaths.has(service.configPath);
  return {
    root: ownedNet(scope, state.root),
    namespaces: state.namespaces
      .filter((ns) => ns.owner === owner.topology)
      .map((ns) => ({
        ...ns,
        net: { ...withoutVolatile(ns.net), links: ns.net.links.map(withoutKernelMac) },
      })),
    sysctls: state.sysctls,
    files,
    services: state.services.filter(isServiceOwned),
  };
}

/**
 * The fingerprint (fingerprint.ts) of the owned part of a host's state: equal before an apply
 * and after its rollback when the rollback restored every owned object exactly.
 */
export const fingerprintOwnedState = (owner: OwnerScope, state: HostState): string =>
  fingerprintHostState(ownedHostState(owner, state));

/** Per-device sysctl keys name their device: "net.ipv4.conf.<dev>.<name>". */
const SYSCTL_DEVICE = /^net\.ipv4\.conf\.(.+)\.[a-z_]+$/;

/**
 * The rollback of one host: the changes that turn `observed` (a fresh observation of the host
 * after a failed apply) back into the owned part of `before` (the observation made before the
 * apply), and the conflicts the planner sees on the way (a foreign object that took an owned
 * object's place meanwhile). The changes come from diffHost, ordered as any plan, so they run
 * as an apply script does. Pure.
 */
export function planRollback(
  owner: OwnerScope,
  before: HostState,
  observed: HostState,
): { readonly changes: Change[]; readonly conflicts: Conflict[] } {
  const target = ownedHostState(owner, before);
  // A sysctl is written back only on a device that exists now or that the target creates.
  const devices = new Set([
    ...observed.root.links.map((link) => link.name),
    ...target.root.links.map((link) => link.name),
  ]);
  const sysctls = target.sysctls.filter((sysctl) => {
    const device = SYSCTL_DEVICE.exec(sysctl.key)?.[1];
    return device === undefined || devices.has(device);
  });
  return diffHost({
    topology: owner.topology,
    clusterCidr: owner.clusterCidr,
    ...(owner.clusterCidrV6 !== undefined && { clusterCidrV6: owner.clusterCidrV6 }),
    desired: { ...target, sysctls },
    observed,
  });
}

/** `state` with only the sysctls whose key is in `keys`. */
const withSysctlsOf = (state: HostState, keys: ReadonlySet<string>): HostState => ({
  ...state,
  sysctls: state.sysctls.filter((sysctl) => keys.has(sysctl.key)),
});

/**
 * What still differs between the owned part of `before` and of `after`, one line per object
 * as a plan's reason says it ("link flannel.1: missing"): empty when the rollback is proven. Compared by
 * fingerprint (fingerprint.ts), so volatile entries (dynamic neighbours) do not count, and
 * sysctls only where both observations read them (a device that came or went is judged as a
 * link). Pure.
 */
export function describeOwnedDifferences(
  owner: OwnerScope,
  before: HostState,
  after: HostState,
): string[] {
  const afterKeys = new Set(after.sysctls.map((sysctl) => sysctl.key));
  const beforeKeys = new Set(before.sysctls.map((sysctl) => sysctl.key));
  const wanted = withSysctlsOf(before, afterKeys);
  const found = withSysctlsOf(after, beforeKeys);
  if (fingerprintOwnedState(owner, wanted) === fingerprintOwnedState(owner, found)) return [];
  const { changes } = planRollback(owner, wanted, found);
  const differences = changes.map((change) =>
    change.netns === undefined ? change.reason : `${change.reason} (in namespace ${change.netns})`,
  );
  // Different, yet equal to the planner (a field it does not compare): say so.
  return differences.length > 0
    ? differences
    : ["the owned objects differ in a field the planner does not compare"];
}
