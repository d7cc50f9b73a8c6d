import { runApplyPipeline, type ApplyPipelineOutcome, type OnFailure } from "../applier/index.js";
import { finishedRunsFile } from "../applier/finished-runs.js";
import { newLockOwner } from "../applier/host-lock.js";
import type { DesiredState, ObservedHost } from "../model/index.js";
import { listBgpPeerChanges } from "../modes/bgp-peer-changes.js";
import type { Plan } from "../planner/plan.js";
import type { Topology } from "../topology/topology.js";
import { CliError } from "./cli-error.js";
import { confirmChanges } from "./confirm.js";
import { jsonConvergeView } from "./converge-view-json.js";
import { textConvergeView } from "./converge-view-text.js";
import { EXIT_ERROR, EXIT_OK } from "./exit-codes.js";
import { interruptedExitStatus, interruption } from "./interruptions.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "./host-transports.js";
import { keepHeldAddresses, readOutsideLimit } from "./keep-held-addresses.js";
import type { Output } from "./output.js";
import { findUnbuiltLabHosts } from "./unbuilt-lab-hosts.js";
import { goneHostWarnings } from "./gone-host-warnings.js";

export interface ConvergeOptions extends ConnectionOptions {
  readonly autoApprove: boolean;
  readonly parallelism: number;
  /** text: the plan and live lines for a person; json: one JSON object per event on stdout. */
  readonly output?: "text" | "json";
  /** How long to wait for a host locked by another run, in ms (--lock-timeout); 0 or absent: not at all. */
  readonly lockTimeout?: number;
  /** apply --on-failure (default rollback-host); destroy has none: it keeps and reports. */
  readonly onFailure?: OnFailure;
  /** --allow-management-change: plan changes to the path of a host's SSH session. */
  readonly allowManagementChange?: boolean;
  /**
   * --confirm-timeout, in ms: arm a revert on each changing host that fires unless the run
   * confirms it over a new connection after verification (applier/confirm-timeout.ts).
   */
  readonly confirmTimeout?: number;
}

/** What the run is for: the words of its messages, and the saved plan to apply if any. */
export interface ConvergeIntent {
  readonly verb: "apply" | "destroy";
  /** A saved plan to apply exactly (stale hosts refuse it), or undefined to plan now. */
  readonly saved?: Plan;
}

/**
 * apply and destroy as commands: open a transport per host, run the applier's pipeline
 * (runApplyPipeline: observe, plan, ask, build, wait, remove, verify), show its events through
 * one ConvergeView (text for a person, JSON lines with `output: "json"`, which cannot ask, so
 * it needs autoApprove or a saved plan), and turn its outcome into an exit status: 0 only when
 * every host converged or nothing was left to do. `desiredOf` compiles the topology once the
 * observed hosts' blocks and addresses are kept (keep-held-addresses.ts); `loaded` names the
 * hosts to contact.
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
      : textConvergeView(intent.verb, output, (plan) => goneHostWarnings(plan, loaded));
  const hostNames = desiredOf(loaded).hosts.map((h) => h.host);
  const transports = openHostTransports(loaded, hostNames, options);
  const owner = newLockOwner(intent.verb);
  try {
    const outcome = await runApplyPipeline({
      lock: { owner, timeoutMs: options.lockTimeout ?? 0, finishedRunsFile: finishedRunsFile() },
      ...(options.confirmTimeout !== undefined && {
        confirmTimeout: {
          seconds: Math.ceil(options.confirmTimeout / 1000),
          owner,
          // A transport of its own: for SSH, a new connection, not the run's master.
          reopen: (host: string) =>
            openHostTransports(loaded, [host], options).get(host) ?? missingHost(host),
        },
      }),
      interrupt: interruption,
      ...(intent.verb === "apply" &&
        options.onFailure !== undefined && { onFailure: options.onFailure }),
      allowManagementChange: options.allowManagementChange === true,
      verb: intent.verb,
      topology: loaded,
      transports,
      // The blocks of hosts outside --limit are kept too: they are read once each.
      desiredOf: async (observed: readonly ObservedHost[]) =>
        desiredOf(
          await keepHeldAddresses(
            loaded,
            observed,
            await readOutsideLimit(loaded, hostNames, { ...options, output }),
          ),
        ),
      ...(intent.saved !== undefined && { saved: intent.saved }),
      unreachable: await findUnbuiltLabHosts(loaded, hostNames),
      parallelism: options.parallelism,
      confirm: (changing) =>
        confirmChanges(
          intent.verb === "apply"
            ? `Do you want to apply these changes on ${changing.length} ${changing.length === 1 ? "host" : "hosts"}?`
            : `Do you want to remove everything this topology created on ${changing.length} ${changing.length === 1 ? "host" : "hosts"}?`,
          options.autoApprove,
          output,
        ),
      emit: (event) =>
        view.show(
          event.kind === "planned"
            ? { ...event, bgpPeers: listBgpPeerChanges(loaded, event.plan) }
            : event,
        ),
      observeProgress: (hosts) => view.observeProgress(hosts),
    });
    return exitStatusOf(outcome);
  } finally {
    await view.close();
    await closeAll(transports);
  }
}

function missingHost(host: string): never {
  throw new Error(`${host} is not a host of the topology`);
}

function exitStatusOf(outcome: ApplyPipelineOutcome): number {
  switch (outcome.kind) {
    case "interrupted":
      return interruptedExitStatus();
    case "stale":
      throw stalePlanError(outcome.hosts.join(", "));
    case "stopped":
      return outcome.reason === "no-changes" || outcome.reason === "already-applied"
        ? EXIT_OK
        : EXIT_ERROR;
    case "applied":
      return outcome.results.every((r) => r.outcome === "converged") ? EXIT_OK : EXIT_ERROR;
  }
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
