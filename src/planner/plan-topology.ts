import type { DesiredState, HostState, ObservedHost } from "../model/index.js";
import { emptyHostState } from "../model/index.js";
import { checkPreconditions } from "./check-preconditions.js";
import { diffHost } from "./diff-host.js";
import { EMPTY_FINGERPRINT, fingerprintHostState, MISSING_FINGERPRINT } from "./fingerprint.js";
import type { HostPlan, Plan } from "./plan.js";
import { PLAN_FORMAT_VERSION } from "./plan.js";

export interface PlanTopologyInput {
  readonly desired: DesiredState;
  /** Observations (from hosts or a snapshot), or "empty": every host holds nothing yet. */
  readonly observed: readonly ObservedHost[] | "empty";
  readonly against: Plan["against"];
  /** Hosts that could not be observed, with the reason (unreachable, authentication, ...). */
  readonly unobserved?: ReadonlyMap<string, string>;
}

const noObservation = (host: string): string =>
  `no observed state for ${host}; the snapshot was taken with another topology or before ` +
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
function underlayMacs(input: PlanTopologyInput): Map<string, string> {
  const macs = new Map<string, string>();
  if (input.observed === "empty") return macs;
  for (const { host, requirements } of input.desired.hosts) {
    if (requirements === undefined) continue;
    const observation = input.observed.find((candidate) => candidate.host === host);
    const link = observation?.state.root.links.find(
      (candidate) => candidate.name === requirements.underlay.interface,
    );
    if (link?.mac !== undefined) macs.set(requirements.underlay.address, link.mac);
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
  const { desired, observed } = input;
  const peerMacs = underlayMacs(input);
  const hosts = desired.hosts.map(({ host, state, requirements, learned }): HostPlan => {
    let observedState: HostState;
    let observedFingerprint: string;
    if (observed === "empty") {
      observedState = emptyHostState();
      observedFingerprint = EMPTY_FINGERPRINT;
    } else {
      const observation = observed.find((candidate) => candidate.host === host);
      if (observation === undefined) {
        const reason = input.unobserved?.get(host) ?? noObservation(host);
        return failedHost(host, [reason], MISSING_FINGERPRINT);
      }
      observedState = observation.state;
      observedFingerprint = fingerprintHostState(observation.state);
      const shortfalls =
        requirements === undefined ? [] : checkPreconditions(requirements, observation);
      if (shortfalls.length > 0) return failedHost(host, shortfalls, observedFingerprint);
    }
    const { changes, conflicts } = diffHost({
      topology: desired.topology,
      clusterCidr: desired.clusterCidr,
      desired: state,
      observed: observedState,
      learned: learned ?? [],
      // Empty hosts are assumed to offer everything, their underlay path included.
      ...(requirements !== undefined &&
        observed !== "empty" && { underlay: requirements.underlay, peerMacs }),
    });
    return { host, changes, conflicts, errors: [], observedFingerprint };
  });
  return {
    formatVersion: PLAN_FORMAT_VERSION,
    topology: desired.topology,
    against: input.against,
    hosts,
  };
}
