import type { NetplanError, Service } from "../model/index.js";
import type { Change } from "../planner/plan.js";
import {
  OBSERVATION_KIND,
  OBSERVATION_MAX_OUTPUT_CHARS,
  OBSERVATION_TIMEOUT_MS,
} from "../observe/index.js";
import { beginLine } from "../remote/remote-script.js";
import type { RunResult, Transport } from "../transport/index.js";
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
  /**
   * The verification's run, when one was asked for and the script finished clean (it runs
   * only then): its output alone, and the exit status of the whole script, which it ended.
   */
  readonly verification?: RunResult;
}

/**
 * The lines between the script and a verification riding it: the verification runs only when
 * the script ended with status 0 (every step done and the lock held), else sh exits with the
 * script's status, as it would have without it. Each script is a whole remote script (its own
 * preamble and functions), read by sh -s one command at a time.
 */
const THEN_VERIFY = `nk_apply_status=$?
[ "$nk_apply_status" = 0 ] || exit "$nk_apply_status"
nk_script_status=
`;

/** Where a verification's output starts in the run's stdout (the observation's begin line). */
const VERIFICATION_START = `\n${beginLine(OBSERVATION_KIND)}\n`;

/**
 * The run of a script with a verification riding it, cut in two: the script's own output and
 * exit status (0 when the verification ran), and the verification's run when it started.
 */
function splitVerification(run: RunResult): { script: RunResult; verification?: RunResult } {
  const at = run.stdout.indexOf(VERIFICATION_START);
  if (at < 0) return { script: run };
  return {
    script: { ...run, exitCode: 0, stdout: run.stdout.slice(0, at + 1) },
    verification: { ...run, stdout: run.stdout.slice(at + 1) },
  };
}

/**
 * One phase of a host's plan as one script, in one round trip. `services`: the host's
 * desired services (a file they read means a reload). `lock`: the run holding the host's lock,
 * checked (and its lease renewed) before the first step. `verification`: the verification's
 * script (verify-host.ts), run in the same round trip once every step is done; its run is in
 * the outcome. A failure is a result, never a throw.
 */
export async function runChanges(
  transport: Transport,
  phase: ApplyPhase,
  changes: readonly Change[],
  services: readonly Service[],
  emit: (event: ConvergeEvent) => void,
  lock?: LockOwner,
  verification?: string,
): Promise<RunChangesOutcome> {
  const host = transport.host;
  try {
    const steps = applySteps(changes, services);
    emit({ kind: "applying", host, phase, steps: steps.length });
    const script = renderStepsScript(steps, lock && lockSection(lock, { kind: "check" }));
    const ran = await transport.run(["sh", "-s"], {
      stdin: verification === undefined ? script : `${script}${THEN_VERIFY}${verification}`,
      timeoutMs: APPLY_TIMEOUT_MS + (verification === undefined ? 0 : OBSERVATION_TIMEOUT_MS),
      phase: verification === undefined ? phase : `${phase} + verify`,
      ...(verification !== undefined && { maxOutputChars: OBSERVATION_MAX_OUTPUT_CHARS }),
    });
    const { script: run, verification: verified } = splitVerification(ran);
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
    return { applied: changes, ...(verified !== undefined && { verification: verified }) };
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
