import type { NetplanError, Service } from "../model/index.js";
import type { Change } from "../planner/plan.js";
import type { Transport } from "../transport/index.js";
import { describeStepFailure, parseApplyOutput } from "./apply-output.js";
import {
  APPLY_KIND,
  applySteps,
  renderStepsScript,
  stepCommand,
  type ApplyStep,
} from "./apply-script.js";
import type { ApplyPhase, ConvergeEvent } from "./converge-result.js";
import { hostFailure, hostFailureOf } from "./host-error.js";
import { lockLostError } from "./host-lock.js";
import { lockSection, type LockOwner } from "./host-lock-script.js";

/** The apply script runs a handful of processes; minutes mean a hung host. */
const APPLY_TIMEOUT_MS = 120_000;

export interface RunChangesOutcome {
  /** All the changes on success; on failure those whose every line ran in a completed step. */
  readonly applied: readonly Change[];
  /** Why the script did not finish, its message starting with the host's name. */
  readonly error?: NetplanError;
}

/**
 * One phase of a host's plan as one script, in one round trip. `services`: the host's
 * desired services (a file they read means a reload). `lock`: the run holding the host's lock,
 * checked (and its lease renewed) before the first step. A failure is a result, never a throw.
 */
export async function runChanges(
  transport: Transport,
  phase: ApplyPhase,
  changes: readonly Change[],
  services: readonly Service[],
  emit: (event: ConvergeEvent) => void,
  lock?: LockOwner,
): Promise<RunChangesOutcome> {
  const host = transport.host;
  try {
    const steps = applySteps(changes, services);
    emit({ kind: "applying", host, phase, steps: steps.length });
    const run = await transport.run(["sh", "-s"], {
      stdin: renderStepsScript(steps, lock && lockSection(lock, { kind: "check" })),
      timeoutMs: APPLY_TIMEOUT_MS,
    });
    const lost = lockLostError(host, APPLY_KIND, run.exitCode, run.stdout);
    if (lost !== undefined) return { applied: [], error: lost };
    const outcome = parseApplyOutput(host, run.stdout);
    emitSteps(emit, host, phase, steps, outcome.done, outcome.failure?.step);
    const applied = completedChanges(changes, steps, outcome.done);
    if (outcome.failure !== undefined) {
      return {
        applied,
        error: hostFailure(
          host,
          "apply.step-failed",
          describeStepFailure(host, steps, outcome.failure, changes),
        ),
      };
    }
    if (!outcome.complete) {
      const stderr = run.stderr.trim();
      return {
        applied,
        error: hostFailure(
          host,
          "apply.step-failed",
          `${host}: the apply script stopped after ${outcome.done.length} of ${steps.length} steps ` +
            `without reporting a failure (exit ${run.exitCode}${stderr === "" ? "" : `: ${stderr}`}); ` +
            `observe the host and plan again`,
        ),
      };
    }
    return { applied: changes };
  } catch (error) {
    return { applied: [], error: hostFailureOf(host, error) };
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
  phase: ApplyPhase,
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
      phase,
      step,
      steps: steps.length,
      command: stepCommand(applyStep),
      ok: step !== failed,
    });
  }
}
