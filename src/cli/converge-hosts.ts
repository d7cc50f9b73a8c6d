import {
  applyPlanPhased,
  type ConvergeEvent,
  type ConvergeResult,
  type PhasedHost,
} from "../applier/index.js";
import { listBgpSessions } from "../modes/bird-config.js";
import type { DesiredState, HostState, ObservedHost } from "../model/index.js";
import { isPlanApplicable, planHasChanges, type HostPlan, type Plan } from "../planner/plan.js";
import { fingerprintHostState } from "../planner/fingerprint.js";
import { planTopology } from "../planner/plan-topology.js";
import { renderPlanText } from "../planner/render-text.js";
import type { Topology } from "../topology/topology.js";
import type { Transport } from "../transport/transport.js";
import { confirmChanges } from "./confirm.js";
import { EXIT_ERROR, EXIT_OK } from "./exit-codes.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "./host-transports.js";
import { keepHeldAddresses } from "./keep-held-addresses.js";
import { observeHosts } from "./observe-hosts.js";
import type { Output } from "./output.js";
import { startHostProgress } from "./per-host.js";

export interface ConvergeOptions extends ConnectionOptions {
  readonly autoApprove: boolean;
  readonly parallelism: number;
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
  const transports = openHostTransports(
    loaded,
    desiredOf(loaded).hosts.map((h) => h.host),
    options,
  );
  try {
    const { observed, failures, unobserved } = await observeHosts(transports, {
      parallelism: options.parallelism,
      output,
    });
    const topology = await keepHeldAddresses(loaded, observed);
    const desired = desiredOf(topology);
    const plan = intent.saved ?? planTopology({ desired, observed, against: "hosts", unobserved });
    output.out(renderPlanText(plan, { color: output.color }));
    const stale = intent.saved === undefined ? [] : staleHosts(intent.saved, observed, failures);
    if (stale.length > 0) {
      for (const message of stale) output.err(`✗ ${message}`);
      output.err("Nothing was changed.");
      return EXIT_ERROR;
    }
    if (!isPlanApplicable(plan)) {
      output.err("Nothing was changed.");
      return EXIT_ERROR;
    }
    if (!planHasChanges(plan)) return EXIT_OK;
    const changing = plan.hosts.filter((h) => h.changes.length > 0);
    const question = `Do you want to ${intent.verb} these changes on ${changing.length} ${changing.length === 1 ? "host" : "hosts"}?`;
    if (
      intent.saved === undefined &&
      !(await confirmChanges(question, options.autoApprove, output))
    ) {
      output.err(`${intent.verb} cancelled; nothing was changed.`);
      return EXIT_ERROR;
    }

    const results = await applyHosts(
      topology,
      changing,
      desired,
      observed,
      transports,
      options,
      output,
    );
    return report(intent.verb, results, output);
  } finally {
    await closeAll(transports);
  }
}

/** A saved plan applies only to hosts that hold exactly what they held when it was made. */
function staleHosts(
  saved: Plan,
  observed: readonly ObservedHost[],
  failures: ReadonlyMap<string, Error>,
): string[] {
  return saved.hosts.flatMap((hostPlan) => {
    const failure = failures.get(hostPlan.host);
    if (failure !== undefined) return [failure.message];
    const now = observed.find((o) => o.host === hostPlan.host);
    return now !== undefined && fingerprintHostState(now.state) === hostPlan.observedFingerprint
      ? []
      : [
          `Saved plan is stale: ${hostPlan.host} changed since the plan was made. Run "netplan-k plan" again.`,
        ];
  });
}

/** Every changing host through the phased apply, with its progress as it goes. */
async function applyHosts(
  topology: Topology,
  changing: readonly HostPlan[],
  desired: DesiredState,
  observed: readonly ObservedHost[],
  transports: ReadonlyMap<string, Transport>,
  options: ConvergeOptions,
  output: Output,
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
  const progress = startHostProgress(
    changing.map((plan) => plan.host),
    output,
  );
  const results = await applyPlanPhased({
    topology: desired.topology,
    clusterCidr: desired.clusterCidr,
    hosts,
    parallelism: options.parallelism,
    onEvent: (event) => {
      const message = progressOf(event);
      if (message !== undefined) progress.report(event.host, message);
    },
  });
  for (const result of results) progress.finish(result.host, result.outcome === "converged");
  await progress.close();
  return results;
}

/** What a person watching needs: each phase starting, BGP up, the verdict; not every step. */
function progressOf(event: ConvergeEvent): string | undefined {
  switch (event.kind) {
    case "applying":
      return `${event.phase === "build" ? "building" : "removing"} (${event.steps} ${event.steps === 1 ? "step" : "steps"})`;
    case "step":
      return event.ok
        ? undefined
        : `${event.command} failed (step ${event.step} of ${event.steps})`;
    case "bgp":
      return event.ok ? "BGP established" : undefined;
    case "verified":
      return event.converged ? "verified" : "still differs after apply";
  }
}

function report(
  verb: ConvergeIntent["verb"],
  results: readonly ConvergeResult[],
  output: Output,
): number {
  // Each host's progress was reported as it happened; the problems are spelt out here.
  for (const result of results) {
    for (const error of result.errors) output.err(`✗ ${error}`);
  }
  const done = verb === "apply" ? "Apply" : "Destroy";
  const hosts = `${results.length} ${results.length === 1 ? "host" : "hosts"}`;
  const failed = results.filter((r) => r.outcome !== "converged").length;
  if (failed === 0) {
    const changes = results.reduce((sum, r) => sum + r.applied.length, 0);
    output.out(`${done} complete: ${changes} changes on ${hosts}, every host verified.`);
    return EXIT_OK;
  }
  output.out(`${done} failed on ${failed} of ${hosts}.`);
  return EXIT_ERROR;
}
