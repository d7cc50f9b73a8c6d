import {
  applyPlanPhased,
  type ConvergeEvent,
  type ConvergeResult,
  type PhasedHost,
} from "../applier/index.js";
import { listBgpSessions } from "../modes/bird-config.js";
import type { DesiredState, HostState, ObservedHost } from "../model/index.js";
import { isPlanApplicable, planHasChanges, type HostPlan, type Plan } from "../planner/plan.js";
import { listBgpPeerChanges } from "../planner/bgp-peer-changes.js";
import { fingerprintHostState } from "../planner/fingerprint.js";
import { planTopology } from "../planner/plan-topology.js";
import type { Topology } from "../topology/topology.js";
import type { Transport } from "../transport/transport.js";
import { CliError } from "./cli-error.js";
import { confirmChanges } from "./confirm.js";
import { jsonConvergeView } from "./converge-view-json.js";
import { textConvergeView } from "./converge-view-text.js";
import { EXIT_ERROR, EXIT_OK } from "./exit-codes.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "./host-transports.js";
import { keepHeldAddresses, readOutsideLimit } from "./keep-held-addresses.js";
import { observeHosts } from "./observe-hosts.js";
import type { Output } from "./output.js";
import { findUnbuiltLabHosts } from "./unbuilt-lab-hosts.js";

export interface ConvergeOptions extends ConnectionOptions {
  readonly autoApprove: boolean;
  readonly parallelism: number;
  /** text: the plan and live lines for a person; json: one JSON object per event on stdout. */
  readonly output?: "text" | "json";
}

/** What the run is for: the words of its messages, and the saved plan to apply if any. */
export interface ConvergeIntent {
  readonly verb: "apply" | "destroy";
  /** A saved plan to apply exactly (stale hosts refuse it), or undefined to plan now. */
  readonly saved?: Plan;
}

/**
 * apply and destroy: observe every host (round trip 1), plan, show the plan, ask, then apply
 * make-before-break across hosts (applyPlanPhased): every host builds (round trip 2), in mode
 * bgp every host waits for its sessions, then every host removes what it no longer needs
 * (round trip 3, only when its plan deletes something), then every host is observed again to
 * verify. Hosts that already match are only observed. Exit 0 only when every host converged.
 * What happens is shown through one ConvergeView: text for a person, JSON lines with
 * `output: "json"` (which cannot ask, so it needs autoApprove or a saved plan).
 * `desiredOf` compiles the topology once the observed hosts' blocks and addresses are kept
 * (keep-held-addresses.ts); `loaded` names the hosts to contact.
 */
export async function convergeHosts(
  loaded: Topology,
  desiredOf: (topology: Topology) => DesiredState,
  intent: ConvergeIntent,
  options: ConvergeOptions,
  output: Output,
): Promise<number> {
  if (options.output === "json" && !options.autoApprove && intent.saved === undefined) {
    throw new CliError(
      `${intent.verb} -o json cannot ask for confirmation, so nothing was changed`,
      `Run again with --auto-approve, or save a plan with "netplan-k plan TOPOLOGY --out plan.json" and apply that file.`,
    );
  }
  const view =
    options.output === "json"
      ? jsonConvergeView(intent.verb, output)
      : textConvergeView(intent.verb, output);
  const hostNames = desiredOf(loaded).hosts.map((h) => h.host);
  const transports = openHostTransports(loaded, hostNames, options);
  try {
    view.show({ kind: "started", verb: intent.verb, topology: loaded.name, hosts: hostNames });
    const { observed, failures, unobserved } = await observeHosts(transports, {
      parallelism: options.parallelism,
      output,
      progress: view.observeProgress(hostNames),
      unreachable: await findUnbuiltLabHosts(loaded, hostNames),
    });
    for (const [host, message] of unobserved) view.show({ kind: "unobserved", host, message });
    const outside = await readOutsideLimit(loaded, hostNames, { ...options, output });
    const topology = await keepHeldAddresses(loaded, observed, outside);
    const desired = desiredOf(topology);
    const planned = planTopology({ desired, observed, against: "hosts", unobserved });
    if (intent.saved !== undefined) {
      // A saved plan that will not run is not shown: only why, and what to do.
      const unchecked = intent.saved.hosts.flatMap(({ host }) => {
        const failure = failures.get(host);
        return failure === undefined ? [] : [{ host, message: failure.message }];
      });
      if (unchecked.length > 0) {
        for (const refusal of unchecked) view.show({ kind: "stale", ...refusal });
        view.show({ kind: "stopped", reason: "stale" });
        return EXIT_ERROR;
      }
      const changed = changedHosts(intent.saved, observed);
      if (changed.length > 0) {
        if (isPlanApplicable(planned) && !planHasChanges(planned)) {
          view.show({ kind: "stopped", reason: "already-applied" });
          return EXIT_OK;
        }
        throw stalePlanError(changed.join(", "));
      }
    }
    const plan = intent.saved ?? planned;
    view.show({ kind: "planned", plan, bgpPeers: listBgpPeerChanges(topology, plan) });
    if (!isPlanApplicable(plan)) {
      view.show({ kind: "stopped", reason: "not-applicable" });
      return EXIT_ERROR;
    }
    if (!planHasChanges(plan)) {
      view.show({ kind: "stopped", reason: "no-changes" });
      return EXIT_OK;
    }
    const changing = plan.hosts.filter((h) => h.changes.length > 0);
    const question = `Do you want to ${intent.verb} these changes on ${changing.length} ${changing.length === 1 ? "host" : "hosts"}?`;
    if (
      intent.saved === undefined &&
      !(await confirmChanges(question, options.autoApprove, output))
    ) {
      view.show({ kind: "stopped", reason: "cancelled" });
      return EXIT_ERROR;
    }

    view.show({ kind: "applying", hosts: changing.map((h) => h.host) });
    const results = await applyHosts(topology, changing, desired, observed, transports, {
      parallelism: options.parallelism,
      onEvent: (event) => view.show({ kind: "host", event }),
    });
    view.show({ kind: "applied", results });
    return results.every((r) => r.outcome === "converged") ? EXIT_OK : EXIT_ERROR;
  } finally {
    await view.close();
    await closeAll(transports);
  }
}

/**
 * A saved plan applies only to hosts that hold exactly what they held when it was made: the
 * hosts that do not, by name. Every host of the plan was observed.
 */
function changedHosts(saved: Plan, observed: readonly ObservedHost[]): string[] {
  return saved.hosts
    .filter((hostPlan) => {
      const now = observed.find((o) => o.host === hostPlan.host);
      return now === undefined || fingerprintHostState(now.state) !== hostPlan.observedFingerprint;
    })
    .map((hostPlan) => hostPlan.host);
}

/**
 * The one refusal of a saved plan that no longer matches, whether its topology file or its
 * hosts changed: `what` names them.
 */
export const stalePlanError = (what: string): CliError =>
  new CliError(
    `Saved plan is stale: ${what} changed since the plan was made`,
    'Run "netplan-k plan" again.',
    { code: "plan.stale" },
  );

/** Every changing host through the phased apply, with its progress as it goes. */
async function applyHosts(
  topology: Topology,
  changing: readonly HostPlan[],
  desired: DesiredState,
  observed: readonly ObservedHost[],
  transports: ReadonlyMap<string, Transport>,
  options: { readonly parallelism: number; readonly onEvent: (event: ConvergeEvent) => void },
): Promise<ConvergeResult[]> {
  const hosts: PhasedHost[] = changing.map((plan) => {
    const state = desired.hosts.find((h) => h.host === plan.host)?.state as HostState;
    const topologyHost = topology.hosts.find((h) => h.name === plan.host);
    const speaks = state.services.some((s) => s.name === "bird" && s.running);
    const observation = observed.find((o) => o.host === plan.host);
    return {
      transport: transports.get(plan.host) as Transport,
      desired: state,
      plan,
      ...(observation !== undefined && { observed: observation }),
      // Every session the topology names up, and every other host's block learned.
      ...(speaks &&
        topologyHost !== undefined && {
          bgp: {
            sessions: listBgpSessions(topology, topologyHost).length,
            blocks: topology.hosts.filter((h) => h.name !== plan.host).map((h) => h.podCidr),
          },
        }),
    };
  });
  return applyPlanPhased({
    topology: desired.topology,
    clusterCidr: desired.clusterCidr,
    hosts,
    parallelism: options.parallelism,
    onEvent: options.onEvent,
  });
}
