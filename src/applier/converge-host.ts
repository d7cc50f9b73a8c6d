import type { HostState, ObservedHost, Service } from "../model/index.js";
import { observeHost } from "../observe/index.js";
import { diffHost, fingerprintHostState, planTopology } from "../planner/index.js";
import type { Change, HostPlan } from "../planner/plan.js";
import type { Transport } from "../transport/index.js";
import { TransportError } from "../transport/index.js";
import { describeStepFailure, parseApplyOutput } from "./apply-output.js";
import { applySteps, renderStepsScript, stepCommand, type ApplyStep } from "./apply-script.js";
import { describeDrift, describeLeftConflict } from "./describe-drift.js";
import { waitForBgp, type BgpExpectation } from "./wait-for-bgp.js";

/**
 * Convergence of one host, in three batched round trips at most:
 *   1. observe (OBSERVATION_SCRIPT), plan (or check a saved plan is not stale);
 *      stop here on conflicts, errors, or nothing to do;
 *   2. apply: the whole plan as one script;
 *   3. verify: observe again; the diff against the desired state must be empty.
 * Then, for a host running BIRD, poll until its BGP sessions are up (the only extra round
 * trips). The caller runs hosts in parallel; a host's failure is a result, never a throw.
 */

export interface ConvergeHostInput {
  readonly transport: Transport;
  readonly topology: string;
  readonly clusterCidr: string;
  readonly desired: HostState;
  /** A saved plan to apply exactly: refused when the host changed since it was made. */
  readonly plan?: HostPlan;
  /**
   * The host as just observed, when the caller already made round trip 1 (to show the plan
   * and ask before changing anything): convergeHost then starts with the apply.
   */
  readonly observed?: ObservedHost;
  /**
   * Leave the BGP check to the caller: sessions come up only once every peer runs BIRD, so a
   * caller applying hosts in batches checks BGP after the last batch (see waitForBgp).
   */
  readonly deferBgpCheck?: boolean;
  /** convergeHost always changes the host; a dry run is a plan (planTopology). */
  readonly dryRun?: false;
  readonly onEvent?: (event: ConvergeEvent) => void;
  /** BGP check after apply, for hosts whose desired state runs BIRD. */
  readonly bgp?: {
    /**
     * Default: as many sessions as the desired BIRD configuration declares `protocol bgp`,
     * and no block check (the peers' blocks are the topology's to name).
     */
    readonly expected?: BgpExpectation;
    /** Default 30 000. */
    readonly timeoutMs?: number;
    /** Default 500. */
    readonly pollIntervalMs?: number;
  };
}

export type ConvergeEvent =
  | {
      readonly kind: "planned";
      readonly host: string;
      readonly changes: number;
      readonly conflicts: number;
      readonly errors: number;
    }
  | { readonly kind: "applying"; readonly host: string; readonly steps: number }
  /** One per step the script started, with the command it ran (after the round trip). */
  | {
      readonly kind: "step";
      readonly host: string;
      readonly step: number;
      readonly steps: number;
      readonly command: string;
      readonly ok: boolean;
    }
  | { readonly kind: "verified"; readonly host: string; readonly converged: boolean }
  | { readonly kind: "bgp"; readonly host: string; readonly ok: boolean; readonly problem: string };

export type ConvergeOutcome =
  /** Nothing to do: one round trip. */
  | "unchanged"
  /** Applied and verified. */
  | "converged"
  /** Not touched: conflicts, host errors, or a stale saved plan. */
  | "refused"
  /** Unreachable, unreadable, a failed command, or still different after apply. */
  | "failed";

export interface ConvergeResult {
  readonly host: string;
  readonly outcome: ConvergeOutcome;
  /** What the host held before anything changed (the base of a rollback); absent when it could not be observed. */
  readonly observed?: ObservedHost;
  /** The plan applied, or that would have been. */
  readonly plan?: HostPlan;
  /** The changes carried out: all of the plan on success, those of completed steps on failure. */
  readonly applied: readonly Change[];
  readonly roundTrips: number;
  /** Why the host was refused or failed, each message starting with the host's name. */
  readonly errors: readonly string[];
}

const DEFAULT_BGP_TIMEOUT_MS = 30_000;
/** The apply script runs a handful of processes; minutes mean a hung host. */
const APPLY_TIMEOUT_MS = 120_000;

const staleMessage = (host: string): string =>
  `Saved plan is stale: ${host} changed since the plan was made. Run "netplan-k plan" again.`;

/** The plan to apply, or why the host must not be touched (a saved plan that does not fit). */
function planFor(
  input: ConvergeHostInput,
  observed: ObservedHost,
): { plan: HostPlan; refusal?: string } {
  const host = input.transport.host;
  const saved = input.plan;
  if (saved === undefined) {
    // planTopology for this one host: the same diff and the same host checks (ipip driver).
    const plan = planTopology({
      desired: {
        topology: input.topology,
        clusterCidr: input.clusterCidr,
        hosts: [{ host, state: input.desired }],
      },
      observed: [observed],
      against: "hosts",
    });
    const hostPlan = plan.hosts[0];
    if (hostPlan === undefined) throw new Error(`planTopology returned no plan for ${host}`);
    return { plan: hostPlan };
  }
  if (saved.host !== host) {
    return { plan: saved, refusal: `${host}: the saved plan given is the plan of ${saved.host}` };
  }
  if (fingerprintHostState(observed.state) !== saved.observedFingerprint) {
    return { plan: saved, refusal: staleMessage(host) };
  }
  return { plan: saved };
}

const hostErrors = (host: string, plan: HostPlan): string[] => [
  ...plan.errors.map((error) => (error.startsWith(`${host}: `) ? error : `${host}: ${error}`)),
  ...plan.conflicts.map((conflict) => `${host}: ${conflict.reason}`),
];

/** The bird service the desired state runs, if any. */
const runningBird = (desired: HostState): Service | undefined =>
  desired.services.find((service) => service.name === "bird" && service.running);

function defaultBgpExpectation(desired: HostState, bird: Service): BgpExpectation {
  const config = desired.files.find((file) => file.path === bird.configPath)?.content ?? "";
  return { sessions: (config.match(/^protocol bgp /gm) ?? []).length, blocks: [] };
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

export async function convergeHost(input: ConvergeHostInput): Promise<ConvergeResult> {
  const { transport } = input;
  const host = transport.host;
  const emit = input.onEvent ?? (() => undefined);
  let roundTrips = 0;
  let observed: ObservedHost | undefined;
  let plan: HostPlan | undefined;
  let applied: readonly Change[] = [];
  const result = (outcome: ConvergeOutcome, errors: readonly string[]): ConvergeResult => ({
    host,
    outcome,
    ...(observed !== undefined && { observed }),
    ...(plan !== undefined && { plan }),
    applied,
    roundTrips,
    errors,
  });

  try {
    if (input.observed === undefined) {
      roundTrips++;
      observed = await observeHost(transport);
    } else {
      observed = input.observed;
    }
    const planned = planFor(input, observed);
    plan = planned.plan;
    emit({
      kind: "planned",
      host,
      changes: plan.changes.length,
      conflicts: plan.conflicts.length,
      errors: plan.errors.length,
    });
    const refusals = planned.refusal === undefined ? hostErrors(host, plan) : [planned.refusal];
    if (refusals.length > 0) return result("refused", refusals);
    if (plan.changes.length === 0) return result("unchanged", []);

    const changes = plan.changes;
    const steps = applySteps(changes, input.desired.services);
    emit({ kind: "applying", host, steps: steps.length });
    roundTrips++;
    const run = await transport.run(["sh", "-s"], {
      stdin: renderStepsScript(steps),
      timeoutMs: APPLY_TIMEOUT_MS,
    });
    const outcome = parseApplyOutput(run.stdout);
    applied = completedChanges(changes, steps, outcome.done);
    emitSteps(emit, host, steps, outcome.done, outcome.failure?.step);
    if (outcome.failure !== undefined) {
      return result("failed", [describeStepFailure(host, steps, outcome.failure)]);
    }
    if (!outcome.complete) {
      const stderr = run.stderr.trim();
      return result("failed", [
        `${host}: the apply script stopped after ${outcome.done.length} of ${steps.length} steps ` +
          `without reporting a failure (exit ${run.exitCode}${stderr === "" ? "" : `: ${stderr}`}); ` +
          `observe the host and plan again`,
      ]);
    }
    applied = changes;

    roundTrips++;
    const verified = await observeHost(transport);
    const drift = diffHost({
      topology: input.topology,
      clusterCidr: input.clusterCidr,
      desired: input.desired,
      observed: verified.state,
    });
    const converged = drift.changes.length === 0 && drift.conflicts.length === 0;
    emit({ kind: "verified", host, converged });
    if (!converged) {
      return result("failed", [
        ...drift.changes.map((change) => describeDrift(host, change)),
        ...drift.conflicts.map((conflict) => describeLeftConflict(host, conflict)),
      ]);
    }

    const bird = runningBird(input.desired);
    if (bird !== undefined && input.deferBgpCheck !== true) {
      const timeoutMs = input.bgp?.timeoutMs ?? DEFAULT_BGP_TIMEOUT_MS;
      const status = await waitForBgp(
        transport,
        input.bgp?.expected ?? defaultBgpExpectation(input.desired, bird),
        timeoutMs,
        {
          ...(input.bgp?.pollIntervalMs !== undefined && {
            pollIntervalMs: input.bgp.pollIntervalMs,
          }),
          onPoll: (poll) => {
            roundTrips++;
            emit({ kind: "bgp", host, ok: poll.ok, problem: poll.problem });
          },
        },
      );
      if (!status.ok) {
        return result("failed", [
          `${host}: BGP did not converge within ${timeoutMs / 1000} s: ${status.problem}`,
        ]);
      }
    }
    return result("converged", []);
  } catch (error) {
    if (error instanceof TransportError) return result("failed", [error.message]);
    const message = messageOf(error);
    return result("failed", [message.startsWith(`${host}: `) ? message : `${host}: ${message}`]);
  }
}

/** Changes whose every line ran in a completed step. */
function completedChanges(
  changes: readonly Change[],
  steps: readonly ApplyStep[],
  done: readonly number[],
): Change[] {
  const finished = new Set(done);
  const unfinished = new Set(
    steps.flatMap((step, index) =>
      finished.has(index + 1) ? [] : step.lines.map((line) => line.change),
    ),
  );
  return changes.filter((_, index) => !unfinished.has(index));
}

function emitSteps(
  emit: (event: ConvergeEvent) => void,
  host: string,
  steps: readonly ApplyStep[],
  done: readonly number[],
  failed: number | undefined,
): void {
  const started = [...done, ...(failed === undefined ? [] : [failed])];
  for (const step of started) {
    const applyStep = steps[step - 1];
    if (applyStep === undefined) continue;
    emit({
      kind: "step",
      host,
      step,
      steps: steps.length,
      command: stepCommand(applyStep),
      ok: step !== failed,
    });
  }
}
