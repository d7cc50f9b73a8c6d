import type { DesiredState, HostFacts, HostState, ObservedHost } from "../model/index.js";
import { emptyHostState } from "../model/index.js";
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

/** What an empty host is assumed to be capable of: everything the modes need. */
const CAPABLE_FACTS: HostFacts = { ipip: true, iproute2: "", kernel: "" };

const hasIpipLink = (state: HostState): boolean =>
  [state.root, ...state.namespaces.map((ns) => ns.net)].some((net) =>
    net.links.some((link) => link.kind === "ipip"),
  );

const noIpipDriver = (host: string): string =>
  `the kernel of ${host} has no ipip driver (ip link add type ipip: Unknown device type); ` +
  `mode ipip cannot work there. Use a kernel with the ipip module, or mode vxlan.`;

const noObservation = (host: string): string =>
  `no observed state for ${host}; the snapshot was taken with another topology or before ` +
  `${host} was added. Run "netplan-k observe" again.`;

const failedHost = (host: string, error: string, observedFingerprint: string): HostPlan => ({
  host,
  changes: [],
  conflicts: [],
  errors: [error],
  observedFingerprint,
});

/**
 * The plan of every host of the topology, in the topology's host order. Observations of
 * hosts the topology does not name (--limit, a wider snapshot) are not planned. A host that
 * cannot converge gets an error and no changes at all: nothing on it must change.
 */
export function planTopology(input: PlanTopologyInput): Plan {
  const { desired, observed } = input;
  const hosts = desired.hosts.map(({ host, state }): HostPlan => {
    const observation: ObservedHost | undefined =
      observed === "empty"
        ? { host, state: emptyHostState(), facts: CAPABLE_FACTS }
        : observed.find((candidate) => candidate.host === host);
    if (observation === undefined) {
      const reason = input.unobserved?.get(host) ?? noObservation(host);
      return failedHost(host, reason, MISSING_FINGERPRINT);
    }
    const observedFingerprint =
      observed === "empty" ? EMPTY_FINGERPRINT : fingerprintHostState(observation.state);
    if (hasIpipLink(state) && !observation.facts.ipip) {
      return failedHost(host, noIpipDriver(host), observedFingerprint);
    }
    const { changes, conflicts } = diffHost({
      topology: desired.topology,
      clusterCidr: desired.clusterCidr,
      desired: state,
      observed: observation.state,
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
