import type { HostState, NetplanError } from "../model/index.js";
import { observeHost } from "../observe/index.js";
import { diffHost } from "../planner/index.js";
import type { Transport } from "../transport/index.js";
import { describeDrift, describeLeftConflict } from "./describe-drift.js";
import { hostFailure, hostFailureOf } from "./host-error.js";

/**
 * Observes the host again (one round trip) and diffs it against the desired state: what still
 * differs, one failure each (code apply.drift, the message starting with the host's name);
 * none when it converged.
 */
export async function verifyHost(
  transport: Transport,
  target: { readonly topology: string; readonly clusterCidr: string; readonly desired: HostState },
): Promise<NetplanError[]> {
  const host = transport.host;
  try {
    const verified = await observeHost(transport);
    const drift = diffHost({ ...target, observed: verified.state });
    return [
      ...drift.changes.map((change) => describeDrift(host, change)),
      ...drift.conflicts.map((conflict) => describeLeftConflict(host, conflict)),
    ].map((message) => hostFailure(host, "apply.drift", message));
  } catch (error) {
    return [hostFailureOf(host, error)];
  }
}
