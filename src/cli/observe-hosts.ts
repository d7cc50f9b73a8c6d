import { hostFailureOf } from "../applier/host-error.js";
import { NetplanError, type ObservedHost } from "../model/index.js";
import { observeHost } from "../observe/observe-host.js";
import type { Transport } from "../transport/transport.js";
import type { Output } from "./output.js";
import { runPerHost, type HostProgress } from "./per-host.js";

export interface Observation {
  /** Hosts that answered, in the order asked. */
  readonly observed: readonly ObservedHost[];
  /** Hosts that could not be observed, with the reason (unreachable, auth, host key, ...). */
  readonly failures: ReadonlyMap<string, Error>;
  /** The failures' messages by host, as planTopology takes them. */
  readonly unobserved: ReadonlyMap<string, string>;
}

/**
 * Observes every host in parallel: one round trip each. A failing host does not stop the rest.
 * Hosts in `unreachable` (name → why, e.g. findUnbuiltLabHosts) are not contacted: they fail
 * with that reason.
 */
export async function observeHosts(
  transports: ReadonlyMap<string, Transport>,
  options: {
    readonly parallelism: number;
    readonly output: Output;
    /** Where each host's progress goes; by default live lines on stderr. */
    readonly progress?: HostProgress;
    /** Hosts known to be unreachable before any connection (an unbuilt lab host), with why. */
    readonly unreachable?: ReadonlyMap<string, string>;
  },
): Promise<Observation> {
  const unreachable = options.unreachable ?? new Map<string, string>();
  const outcomes = await runPerHost([...transports.keys()], options, async (host, report) => {
    const reason = unreachable.get(host);
    if (reason !== undefined) throw new NetplanError("lab.not-built", reason, { host });
    report("observing");
    const observed = await observeHost(transports.get(host) as Transport);
    report("observed");
    for (const warning of observed.warnings ?? []) options.output.err(`warning: ${warning}`);
    return observed;
  });
  const observed: ObservedHost[] = [];
  const failures = new Map<string, Error>();
  for (const [host, outcome] of outcomes) {
    if (outcome.ok) observed.push(outcome.value);
    else failures.set(host, outcome.error);
  }
  // Each message starts with the host's name, as a plan's errors must (HostPlan.errors).
  const unobserved = new Map(
    [...failures].map(([host, error]) => [host, hostFailureOf(host, error).message]),
  );
  return { observed, failures, unobserved };
}
