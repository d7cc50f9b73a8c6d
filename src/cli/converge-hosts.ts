import { convergeHost, waitForBgp, type ConvergeResult } from "../applier/index.js";
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
import { observeHosts } from "./observe-hosts.js";
import type { Output } from "./output.js";
import { runPerHost } from "./per-host.js";

export interface ConvergeOptions extends ConnectionOptions {
  readonly autoApprove: boolean;
  readonly parallelism: number;
}

/** What the run is for: the words of its messages, and whether BGP must come up after it. */
export interface ConvergeIntent {
  readonly verb: "apply" | "destroy";
  /** A saved plan to apply exactly (stale hosts refuse it), or undefined to plan now. */
  readonly saved?: Plan;
}

const BGP_TIMEOUT_MS = 30_000;

/**
 * apply and destroy: observe every host (round trip 1), plan, show the plan, ask, then per
 * host apply the batch script (round trip 2) and observe again to verify (round trip 3).
 * Hosts that already match are only observed. In mode bgp, sessions are checked once every
 * host runs BIRD. Exit 0 only when every host converged.
 */
export async function convergeHosts(
  topology: Topology,
  desired: DesiredState,
  intent: ConvergeIntent,
  options: ConvergeOptions,
  output: Output,
): Promise<number> {
  const transports = openHostTransports(
    topology,
    desired.hosts.map((h) => h.host),
    options,
  );
  try {
    const { observed, failures, unobserved } = await observeHosts(transports, {
      parallelism: options.parallelism,
      output,
    });
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

    const results = await applyHosts(changing, desired, observed, transports, options, output);
    const bgpProblems =
      intent.verb === "apply" ? await checkBgp(topology, desired, transports, options, output) : [];
    return report(intent.verb, [...results.values()], bgpProblems, output);
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

async function applyHosts(
  changing: readonly HostPlan[],
  desired: DesiredState,
  observed: readonly ObservedHost[],
  transports: ReadonlyMap<string, Transport>,
  options: ConvergeOptions,
  output: Output,
): Promise<Map<string, ConvergeResult>> {
  const stateOf = (host: string): HostState =>
    desired.hosts.find((h) => h.host === host)?.state as HostState;
  const outcomes = await runPerHost(
    changing.map((h) => h.host),
    { parallelism: options.parallelism, output },
    async (host, report) => {
      const plan = changing.find((h) => h.host === host) as HostPlan;
      const observation = observed.find((o) => o.host === host) as ObservedHost;
      report(`applying ${plan.changes.length} ${plan.changes.length === 1 ? "change" : "changes"}`);
      const result = await convergeHost({
        transport: transports.get(host) as Transport,
        topology: desired.topology,
        clusterCidr: desired.clusterCidr,
        desired: stateOf(host),
        plan,
        observed: observation,
        deferBgpCheck: true,
        onEvent: (event) => {
          if (event.kind === "verified")
            report(event.converged ? "verified" : "still differs after apply");
        },
      });
      report(
        result.outcome === "converged"
          ? `${result.applied.length} changes applied and verified`
          : `${result.outcome}: ${result.errors.length} ${result.errors.length === 1 ? "problem" : "problems"}`,
      );
      return result;
    },
  );
  return new Map(
    [...outcomes].map(([host, outcome]) => [
      host,
      outcome.ok
        ? outcome.value
        : {
            host,
            outcome: "failed",
            applied: [],
            roundTrips: 0,
            errors: [`${host}: ${outcome.error.message}`],
          },
    ]),
  );
}

/** Once every host runs BIRD: every expected session Established, every peer block learned. */
async function checkBgp(
  topology: Topology,
  desired: DesiredState,
  transports: ReadonlyMap<string, Transport>,
  options: ConvergeOptions,
  output: Output,
): Promise<string[]> {
  const speakers = topology.hosts.filter((host) =>
    desired.hosts.some(
      (h) => h.host === host.name && h.state.services.some((s) => s.name === "bird" && s.running),
    ),
  );
  if (speakers.length === 0) return [];
  const outcomes = await runPerHost(
    speakers.map((h) => h.name),
    { parallelism: options.parallelism, output },
    async (name, report) => {
      report("waiting for BGP sessions");
      const host = speakers.find((h) => h.name === name);
      const expected = {
        sessions: host === undefined ? 0 : listBgpSessions(topology, host).length,
        blocks: topology.hosts.filter((h) => h.name !== name).map((h) => h.podCidr),
      };
      const status = await waitForBgp(transports.get(name) as Transport, expected, BGP_TIMEOUT_MS);
      report(status.ok ? "BGP established" : "BGP not established");
      return status.ok
        ? undefined
        : `${name}: BGP did not converge within ${BGP_TIMEOUT_MS / 1000} s: ${status.problem}`;
    },
  );
  return [...outcomes].flatMap(([host, outcome]) =>
    outcome.ok
      ? outcome.value === undefined
        ? []
        : [outcome.value]
      : [`${host}: ${outcome.error.message}`],
  );
}

function report(
  verb: ConvergeIntent["verb"],
  results: readonly ConvergeResult[],
  bgpProblems: readonly string[],
  output: Output,
): number {
  // Each host's success was reported as it happened; the problems are spelt out here.
  for (const result of results) {
    for (const error of result.errors) output.err(`✗ ${error}`);
  }
  for (const problem of bgpProblems) output.err(`✗ ${problem}`);
  const done = verb === "apply" ? "Apply" : "Destroy";
  const hosts = `${results.length} ${results.length === 1 ? "host" : "hosts"}`;
  const failed = results.filter((r) => r.outcome !== "converged").length;
  if (failed === 0 && bgpProblems.length === 0) {
    const changes = results.reduce((sum, r) => sum + r.applied.length, 0);
    output.out(`${done} complete: ${changes} changes on ${hosts}, every host verified.`);
    return EXIT_OK;
  }
  output.out(
    failed > 0
      ? `${done} failed on ${failed} of ${hosts}.`
      : `${done} applied on ${hosts}, but BGP did not converge.`,
  );
  return EXIT_ERROR;
}
