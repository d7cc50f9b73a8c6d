import type {
  ApplyPhase,
  ConvergeEvent,
  ConvergeResult,
  RollbackReport,
} from "../applier/index.js";
import { describeHeldRemovals } from "../applier/held-removals.js";
import type { HostPlan, Plan } from "../planner/plan.js";
import { describeBrokenLock, describeHostLeft, INTERRUPTING } from "./describe-interruption.js";
import { renderPlanText } from "../planner/render-text.js";
import type { ConvergeRunEvent, ConvergeView } from "./converge-view.js";
import type { Output } from "./output.js";
import { startHostProgress, type HostProgress } from "./per-host.js";
import { wrapForTerminal } from "./wrap-for-terminal.js";

/**
 * A run as a person reads it: the plan as text on stdout (with `warningsOf` the plan's
 * warnings before its summary), one live line per host on stderr
 * while it observes and applies (plain lines without a terminal), the problems spelt out and
 * a closing sentence.
 */
export function textConvergeView(
  verb: "apply" | "destroy",
  output: Output,
  warningsOf: (plan: Plan) => readonly string[] = () => [],
): ConvergeView {
  // On a terminal, long lines wrap with an indent instead of where the terminal cuts them.
  const fit = (text: string) =>
    output.columns === undefined ? text : wrapForTerminal(text, output.columns);
  let progress: HostProgress | undefined;
  let results: readonly ConvergeResult[] | undefined;
  return {
    observeProgress: (hosts) => startHostProgress(hosts, output),
    show(event: ConvergeRunEvent) {
      switch (event.kind) {
        case "planned":
          output.out(
            fit(
              // The revert event said a fired revert when the run observed the host: once.
              renderPlanText(
                { hosts: event.plan.hosts.map(withoutFiredRevert) },
                {
                  color: output.color,
                  purpose: verb,
                  warnings: () => warningsOf(event.plan),
                  ...(event.bgpPeers !== undefined && { bgpPeers: event.bgpPeers }),
                },
              ),
            ),
          );
          return;
        case "stale":
          output.err(fit(`✗ ${event.message}`));
          return;
        case "stopped":
          if (event.reason === "cancelled") output.err(`${verb} cancelled; nothing was changed.`);
          else if (event.reason === "already-applied") {
            output.err(
              "The saved plan was already applied: every host matches the topology. Nothing was changed.",
            );
          } else if (event.reason !== "no-changes") output.err("Nothing was changed.");
          return;
        case "applying":
          progress = startHostProgress(event.hosts, output);
          return;
        case "host": {
          const message = progressOf(event.event);
          if (message !== undefined) progress?.report(event.event.host, message);
          return;
        }
        case "applied":
          results = event.results;
          for (const result of results)
            progress?.finish(result.host, result.outcome === "converged");
          return;
        case "lock-broken":
          output.err(`${event.host}: ${describeBrokenLock(event.owner)}`);
          return;
        case "revert":
          output.err(`${event.host}: ${event.message}`);
          return;
        case "interrupting":
          output.err(INTERRUPTING);
          return;
        case "interrupted":
          void progress?.close();
          progress = undefined;
          output.err(`${verb} interrupted; where each host was left:`);
          for (const host of event.hosts) output.err(`  ${describeHostLeft(host)}`);
          output.err(
            event.hosts.some((host) => host.armedRevert !== undefined)
              ? "Run the same command again to finish: it recognises its own work. A host with " +
                  "an armed revert refuses it until the revert has fired or is disarmed (above)."
              : event.hosts.every((host) => host.state === "converged")
                ? "Every host converged before the run stopped: nothing is left to finish."
                : "Run the same command again to finish: it recognises its own work.",
          );
          return;
        case "rollback":
          progress?.report(event.host, ROLLBACK_WORDS[event.state]);
          return;
        case "phase":
          // Building and removing say so with their command counts; verifying is silent else.
          if (event.phase === "verify") {
            for (const host of event.hosts) progress?.report(host, "verifying");
          }
          return;
        case "started":
        case "unobserved":
          // The observation's own lines show these; the plan names unobserved hosts.
          return;
      }
    },
    async close() {
      await progress?.close();
      if (results !== undefined) report(verb, results, output, fit);
    },
  };
}

/** The host's plan without the fired revert `plan` shows: apply and destroy say it as an event. */
const withoutFiredRevert = ({ firedRevert: _, ...host }: HostPlan): HostPlan => host;

const PHASE_WORDS = {
  build: "building",
  removals: "removing",
  rollback: "rolling back",
} as const satisfies Record<ApplyPhase, string>;

/** How a failed host was left (the rollback event's state), as the report says it. */
const ROLLBACK_WORDS = {
  "rolled-back": "rolled back",
  kept: "kept as it failed",
  incomplete: "rollback incomplete",
} as const satisfies Record<RollbackReport["state"], string>;

/** "rolled back (3 changes undone, proven by a new observation)", for the report. */
function describeRollback(rollback: RollbackReport): string {
  if (rollback.state === "kept" && rollback.kept !== undefined) {
    const { ran, planned } = rollback.kept;
    return (
      `kept as it failed (--on-failure keep): the host was left as it is; ${ran} of ${planned} ` +
      `planned changes ran in the steps before the failing one, and that step (above) may have ` +
      `applied its lines before the failing line; "netplan-k plan" shows what is left`
    );
  }
  if (rollback.state !== "rolled-back") return ROLLBACK_WORDS[rollback.state];
  const undone = `${rollback.changes} ${rollback.changes === 1 ? "change" : "changes"} undone`;
  return `${ROLLBACK_WORDS[rollback.state]} to its state before this run (${undone}, proven by a new observation)`;
}

/** What a person watching needs: each phase starting, BGP up, the verdict; not every step. */
function progressOf(event: ConvergeEvent): string | undefined {
  switch (event.kind) {
    case "applying":
      // Commands, not changes: one change may take several (a veth and its peer's settings).
      return `${PHASE_WORDS[event.phase]} (${event.steps} ${event.steps === 1 ? "command" : "commands"})`;
    case "step":
      return event.ok
        ? undefined
        : `${event.command} failed (command ${event.step} of ${event.steps})`;
    case "bgp":
      return event.ok ? "BGP established" : undefined;
    case "verified":
      return event.converged ? "verified" : "still differs after apply";
    case "held":
      return "removals held";
  }
}

function report(
  verb: "apply" | "destroy",
  results: readonly ConvergeResult[],
  output: Output,
  fit: (text: string) => string,
): void {
  // Each host's progress was reported as it happened; the problems are spelt out here.
  for (const result of results) {
    for (const error of result.errors) output.err(fit(`✗ ${error.message}`));
    if (result.held !== undefined) output.err(fit(describeHeldRemovals(result.host, result.held)));
    // An incomplete rollback is one of the errors above, with what still differs.
    if (result.rollback !== undefined && result.rollback.state !== "incomplete") {
      const why = result.outcome === "rolled-back" ? " because another host failed" : "";
      output.err(fit(`${result.host}: ${describeRollback(result.rollback)}${why}`));
    }
  }
  const done = verb === "apply" ? "Apply" : "Destroy";
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  const hosts = count(results.length, "host");
  const failed = results.filter(
    (r) => r.outcome !== "converged" && r.outcome !== "rolled-back" && r.outcome !== "held",
  ).length;
  // Hosts that converged, then were put back because another host failed (rollback-all).
  const rolledBack = results.filter((r) => r.outcome === "rolled-back").length;
  // Hosts built whose removals were held because another host failed.
  const held = results.filter((r) => r.outcome === "held").length;
  if (failed === 0 && rolledBack === 0 && held === 0) {
    // The plan's words: changes (its lines) on the hosts that have any, as "Plan: …" counts them.
    const changes = results.reduce((sum, r) => sum + r.applied.length, 0);
    const changed = results.filter((r) => r.applied.length > 0).length;
    output.out(
      `${done} complete: ${count(changes, "change")} on ${count(changed, "host")}, every host verified.`,
    );
  } else {
    const alsoRolledBack = rolledBack === 0 ? "" : `, rolled back ${rolledBack}`;
    const alsoHeld = held === 0 ? "" : `, removals held on ${held}`;
    output.out(`${done} failed on ${failed} of ${hosts}${alsoRolledBack}${alsoHeld}.`);
  }
}
