import type { ApplyPhase, ConvergeEvent, ConvergeResult } from "../applier/index.js";
import { describeArmedRevertLeft, describeBrokenLock } from "./describe-interruption.js";
import type { HostPlan, Plan } from "../planner/plan.js";
import { summarizePlan } from "../planner/summarize-plan.js";
import type { ConvergeRunEvent, ConvergeView } from "./converge-view.js";
import type { Output } from "./output.js";
import type { HostProgress } from "./per-host.js";

/**
 * `apply -o json` and `destroy -o json`: the run as JSON lines on stdout, one object per
 * event, for a pipeline to follow without parsing text. The format is documented in
 * docs/events-json.md and checked by schemas/events.schema.json; every line carries `v`
 * (EVENTS_JSON_VERSION), `type` and `time`, and `host` when it is about one host. Nothing
 * else is written to stdout; diagnostics still go to stderr.
 */

/** Bumped when an event or a field changes meaning or goes away; new ones keep it. */
export const EVENTS_JSON_VERSION = 1;

type Verb = "apply" | "destroy";
type Line = { readonly type: string; readonly host?: string } & Record<string, unknown>;

export function jsonConvergeView(
  verb: Verb,
  output: Output,
  now: () => Date = () => new Date(),
): ConvergeView {
  const write = (line: Line) => {
    const { type, host, ...fields } = line;
    output.out(
      JSON.stringify({
        v: EVENTS_JSON_VERSION,
        type,
        time: now().toISOString(),
        ...(host !== undefined && { host }),
        ...fields,
      }),
    );
  };
  let done: Line | undefined;
  return {
    observeProgress: (): HostProgress => ({
      report: () => undefined,
      finish: (host, ok) => {
        if (ok) write({ type: "observed", host });
      },
      close: async () => undefined,
    }),
    show(event: ConvergeRunEvent) {
      for (const line of linesOf(event, verb)) write(line);
      if (event.kind === "applied") done = doneLine(verb, event.results);
      if (event.kind === "interrupted") {
        done = {
          type: "done",
          verb,
          outcome: "interrupted",
          hosts: event.hosts.length,
          changes: event.hosts.reduce((sum, host) => sum + host.applied, 0),
          failed: event.hosts.filter((host) => host.state === "failed").length,
        };
      }
      if (event.kind === "stopped") {
        done = {
          type: "done",
          verb,
          outcome:
            event.reason === "no-changes" || event.reason === "already-applied"
              ? "no-changes"
              : "refused",
          reason: event.reason,
          hosts: 0,
          changes: 0,
          failed: 0,
        };
      }
    },
    close: async () => {
      if (done !== undefined) write(done);
    },
  };
}

function linesOf(event: ConvergeRunEvent, verb: Verb): Line[] {
  switch (event.kind) {
    case "started":
      return [{ type: "started", verb, topology: event.topology, hosts: event.hosts }];
    case "unobserved":
      return [{ type: "observe-failed", host: event.host, message: event.message }];
    case "planned":
      return [
        ...event.plan.hosts.map((hostPlan) => hostPlanLine(event.plan, hostPlan)),
        planLine(event.plan),
      ];
    case "stale":
      return [{ type: "stale", host: event.host, message: event.message }];
    case "lock-broken":
      return [{ type: "lock-broken", host: event.host, message: describeBrokenLock(event.owner) }];
    case "revert":
      return [{ type: "revert", host: event.host, state: event.state, message: event.message }];
    case "interrupting":
      return [{ type: "interrupting" }];
    case "interrupted":
      return event.hosts.map((host) => ({
        type: "left",
        host: host.host,
        state: host.state,
        applied: host.applied,
        ...(host.failure !== undefined && { failure: host.failure }),
        ...(host.rollback !== undefined && { rollback: host.rollback.state }),
        ...(host.armedRevert !== undefined && {
          revert: describeArmedRevertLeft(host.armedRevert),
        }),
      }));
    case "phase":
      return [{ type: "phase", phase: event.phase, hosts: event.hosts }];
    case "applying":
    case "stopped":
      return [];
    case "host":
      return hostLines(event.event);
    case "rollback":
      return [
        {
          type: "rollback",
          host: event.host,
          cause: event.cause,
          ...(event.failure !== undefined && { failure: event.failure }),
          ...(event.code !== undefined && { code: event.code }),
          state: event.state,
          changes: event.changes,
          roundTrips: event.roundTrips,
          problems: event.problems,
        },
      ];
    case "applied":
      return event.results.flatMap((result) =>
        result.outcome === "converged"
          ? []
          : result.errors.map((error) => ({
              type: "failed",
              host: result.host,
              message: error.message,
            })),
      );
  }
}

/** Counts as `plan` prints them: each change once, a replace as a replace (PlanSummary). */
function hostPlanLine(plan: Plan, hostPlan: HostPlan): Line {
  const summary = summarizePlan({ ...plan, hosts: [hostPlan] });
  return {
    type: "planned",
    host: hostPlan.host,
    add: summary.add,
    change: summary.change,
    replace: summary.replace,
    destroy: summary.destroy,
    conflicts: hostPlan.conflicts.map((conflict) => conflict.reason),
    errors: [...hostPlan.errors],
  };
}

function planLine(plan: Plan): Line {
  const summary = summarizePlan(plan);
  return {
    type: "plan",
    hosts: plan.hosts.length,
    changing: summary.hosts,
    add: summary.add,
    change: summary.change,
    replace: summary.replace,
    destroy: summary.destroy,
    conflicts: summary.conflicts,
    errors: summary.errors,
  };
}

/** The line that starts each script a host runs. */
const PHASE_LINE = {
  build: "building",
  removals: "removing",
  rollback: "rolling-back",
} as const satisfies Record<ApplyPhase, string>;

function hostLines(event: ConvergeEvent): Line[] {
  switch (event.kind) {
    case "applying":
      return [
        {
          type: PHASE_LINE[event.phase],
          host: event.host,
          steps: event.steps,
        },
      ];
    case "step":
      return event.ok
        ? []
        : [
            {
              type: "step-failed",
              host: event.host,
              phase: event.phase,
              step: event.step,
              steps: event.steps,
              command: event.command,
            },
          ];
    case "bgp":
      return [
        event.ok
          ? { type: "bgp-established", host: event.host }
          : { type: "waiting", host: event.host, for: "bgp", problem: event.problem },
      ];
    case "verified":
      return [{ type: "verified", host: event.host, converged: event.converged }];
    case "held":
      return [
        {
          type: "held",
          host: event.host,
          removals: event.held.removals,
          failed: event.held.failed,
          message: event.message,
        },
      ];
  }
}

function doneLine(verb: Verb, results: readonly ConvergeResult[]): Line {
  const failed = results.filter((result) => result.outcome !== "converged").length;
  return {
    type: "done",
    verb,
    outcome: failed === 0 ? "applied" : "failed",
    hosts: results.length,
    changes: results.reduce((sum, result) => sum + result.applied.length, 0),
    failed,
  };
}
