import { armedRevertConflict } from "./armed-revert-conflict.js";
import type { DesiredHost, DesiredState, HostState, ObservedHost } from "../model/index.js";
import { describeRevertFired, emptyHostState } from "../model/index.js";
import { describeBgpSessionsDown } from "./bgp-session-warnings.js";
import { checkPreconditions } from "./check-preconditions.js";
import { diffHost } from "./diff-host.js";
import { findManagementPathConflicts, nameManagementAddressConflicts } from "./management-path.js";
import { EMPTY_FINGERPRINT, fingerprintHostState, MISSING_FINGERPRINT } from "./fingerprint.js";
import type { HostPlan, Plan } from "./plan.js";
import { PLAN_FORMAT_VERSION } from "./plan.js";
import { findUnmountedNamespaceConflicts } from "./unmounted-namespace-conflicts.js";
import { listWorkloadAddresses, type WorkloadAddresses } from "./workload-address-conflicts.js";

export interface PlanTopologyInput {
  /**
   * The hosts may come as they are compiled (compileHosts), so that planning an empty
   * thousand-host mesh holds one host's desired state at a time; they are read once when
   * `observed` is "empty", and gathered first otherwise.
   */
  readonly desired: Omit<DesiredState, "hosts"> & { readonly hosts: Iterable<DesiredHost> };
  /** Observations (from hosts or a snapshot), or "empty": every host holds nothing yet. */
  readonly observed: readonly ObservedHost[] | "empty";
  readonly against: Plan["against"];
  /** Hosts that could not be observed, with the reason (unreachable, authentication, ...). */
  readonly unobserved?: ReadonlyMap<string, string>;
  /**
   * Plan changes to the path of the SSH session a host was observed through (management-path.ts)
   * instead of refusing them: `--allow-management-change`.
   */
  readonly allowManagementChange?: boolean;
  /**
   * The topology file as given on the command line (Topology.source), for the commands a
   * conflict's reason gives (`netplan-k disarm FILE --limit HOST`); "TOPOLOGY" when absent.
   */
  readonly topologySource?: string;
}

const noObservation = (host: string): string =>
  `${host}: no observed state; the snapshot was taken with another topology or before ` +
  `${host} was added. Run "netplan-k observe" again.`;

const failedHost = (
  host: string,
  errors: readonly string[],
  observedFingerprint: string,
): HostPlan => ({ host, changes: [], conflicts: [], errors, observedFingerprint });

/**
 * The MAC of every observed host's underlay interface, by its underlay address (as the
 * topology declares both): what a peer's neighbour entry for that address must say.
 */
function underlayMacs(
  hosts: readonly DesiredHost[],
  observedByHost: ReadonlyMap<string, ObservedHost>,
): Map<string, string> {
  const macs = new Map<string, string>();
  for (const { host, requirements } of hosts) {
    if (requirements === undefined) continue;
    const link = observedByHost
      .get(host)
      ?.state.root.links.find((candidate) => candidate.name === requirements.underlay.interface);
    if (link?.mac === undefined) continue;
    // One interface, one MAC, whichever family a neighbour entry resolves.
    macs.set(requirements.underlay.address, link.mac);
    if (requirements.underlay.v6 !== undefined)
      macs.set(requirements.underlay.v6.address, link.mac);
  }
  return macs;
}

/**
 * The plan of every host of the topology, in the topology's host order. Observations of
 * hosts the topology does not name (--limit, a wider snapshot) are not planned. A host that
 * cannot converge (unobserved, or short of a precondition: checkPreconditions) gets its
 * errors and no changes at all: nothing on it must change. Empty hosts are assumed to offer
 * everything the topology needs.
 */
export function planTopology(input: PlanTopologyInput): Plan {
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    topology: input.desired.topology,
    against: input.against,
    hosts: [...planHosts(input)],
  };
}

/**
 * planTopology's hosts one at a time, each planned when it is asked for: a caller that writes
 * each host and lets it go holds one host's changes at a time, not the millions of a
 * thousand-host mesh. Pure, like planTopology: the same input gives the same hosts.
 */
export function* planHosts(input: PlanTopologyInput): Generator<HostPlan> {
  const { desired, observed } = input;
  let observedByHost: Map<string, ObservedHost> | undefined;
  let hosts = desired.hosts;
  let peerMacs = new Map<string, string>();
  let workloadAddresses: WorkloadAddresses | undefined;
  if (observed !== "empty") {
    observedByHost = new Map();
    // The first observation of a host counts, should a snapshot name it twice.
    for (const o of observed) if (!observedByHost.has(o.host)) observedByHost.set(o.host, o);
    // Every host's underlay is read before the first is planned: gathered, not compiled twice.
    const gathered = [...desired.hosts];
    hosts = gathered;
    peerMacs = underlayMacs(gathered, observedByHost);
    workloadAddresses = listWorkloadAddresses(gathered);
  }
  for (const { host, state, requirements, learned } of hosts) {
    let observation: ObservedHost | undefined;
    let observedState: HostState;
    let observedFingerprint: string;
    if (observedByHost === undefined) {
      observedState = emptyHostState();
      observedFingerprint = EMPTY_FINGERPRINT;
    } else {
      observation = observedByHost.get(host);
      if (observation === undefined) {
        const reason = input.unobserved?.get(host) ?? noObservation(host);
        yield failedHost(host, [reason], MISSING_FINGERPRINT);
        continue;
      }
      observedState = observation.state;
      observedFingerprint = fingerprintHostState(observation.state);
      const shortfalls =
        requirements === undefined ? [] : checkPreconditions(requirements, observation);
      if (shortfalls.length > 0) {
        const errors = shortfalls.map((shortfall) => `${host}: ${shortfall}`);
        yield failedHost(host, errors, observedFingerprint);
        continue;
      }
    }
    const { changes, conflicts: hostConflicts } = diffHost({
      topology: desired.topology,
      clusterCidr: desired.clusterCidr,
      ...(desired.clusterCidrV6 !== undefined && { clusterCidrV6: desired.clusterCidrV6 }),
      desired: state,
      observed: observedState,
      learned: learned ?? [],
      // Empty hosts are assumed to offer everything, their underlay path included.
      ...(requirements !== undefined &&
        observed !== "empty" && { underlay: requirements.underlay, peerMacs }),
      ...(workloadAddresses !== undefined && { workloadAddresses }),
    });
    const session = observation?.managementPath;
    const conflicts =
      session === undefined
        ? hostConflicts
        : nameManagementAddressConflicts(
            host,
            session,
            observedState.root,
            desired.clusterCidr,
            hostConflicts,
          );
    const path = input.allowManagementChange === true ? undefined : session;
    if (path !== undefined) {
      conflicts.push(
        ...findManagementPathConflicts(
          host,
          path,
          observedState.root,
          observedState.rules,
          changes,
        ),
      );
    }
    conflicts.push(
      ...findUnmountedNamespaceConflicts(state.namespaces, observation?.unmountedNamespaces ?? []),
    );
    const revert =
      observation?.armedRevert &&
      armedRevertConflict(observation.armedRevert, host, input.topologySource ?? "TOPOLOGY");
    if (revert !== undefined) conflicts.push(revert);
    const fired = observation?.armedRevert && describeRevertFired(observation.armedRevert);
    const warnings = describeBgpSessionsDown(state.services, observedState.services);
    yield {
      host,
      changes,
      conflicts,
      errors: [],
      observedFingerprint,
      ...(fired !== undefined && { firedRevert: fired }),
      ...(warnings.length > 0 && { warnings }),
    };
  }
}
