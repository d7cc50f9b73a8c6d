import type { Service } from "../model/index.js";
import type { Change } from "../planner/plan.js";
import {
  changeCommands,
  serviceReloadCommands,
  type CommandGroup,
  type Executor,
} from "./change-commands.js";
import { renderRemoteScript, type LockSection, type RemoteScriptKind } from "../remote/index.js";
import { safeAlias, safeNamespace } from "./safe-values.js";

/**
 * A host's share of a plan as ONE script (see src/remote/remote-script.ts), sent in one round
 * trip.
 *
 * The changes' command groups run in plan order; consecutive groups with the same executor
 * and namespace are merged into one step, so a host runs a handful of processes (`ip -batch`,
 * `ip -n <ns> -batch`, `bridge -batch`, a few shell lines), not one per object. Step n is the
 * output's section "step:<n>". The script stops at the first failing step (its section is the
 * last, with its exit status and stderr) and then exits 1.
 *
 * A failing `ip -batch` or `bridge -batch` prints "Command failed -:<line>"; a shell step
 * prints the same for its failing line, so the caller can always name the exact command.
 */

export const APPLY_FORMAT_VERSION = 2;

/** The apply script's begin line names it so, in the remote-script framing. */
export const APPLY_KIND = {
  kind: "apply",
  version: APPLY_FORMAT_VERSION,
} as const satisfies RemoteScriptKind;

const STEP_SECTION = "step:";

/** The section of step n (1-based): "step:3". */
export const stepSection = (step: number): string => `${STEP_SECTION}${step}`;

export interface ApplyStepLine {
  readonly text: string;
  /** Index, in the plan's changes, of the change this line carries out. */
  readonly change: number;
}

export interface ApplyStep {
  readonly executor: Executor;
  readonly netns?: string;
  readonly lines: readonly ApplyStepLine[];
}

/** How a step's command reads in messages: "ip -batch", "ip -n red -batch", "sh". */
export function stepCommand(step: Pick<ApplyStep, "executor" | "netns">): string {
  if (step.executor === "sh") return "sh";
  return step.netns === undefined
    ? `${step.executor} -batch`
    : `${step.executor} -n ${step.netns} -batch`;
}

/**
 * A file that is the configuration of a service which runs and keeps running must be
 * re-read by it; a service being started reads the new file anyway (plan-json.md).
 */
function reloadAfter(change: Change, services: readonly Service[], changes: readonly Change[]) {
  if (change.kind !== "file" || change.action === "delete" || change.after === undefined) {
    return [];
  }
  const path = change.after.path;
  const isStarted = (service: Service): boolean =>
    changes.some(
      (other) =>
        other.kind === "service" &&
        other.after?.name === service.name &&
        other.after?.running === true &&
        (other.before?.running !== true || other.action === "replace"),
    );
  return services
    .filter((service) => service.running && service.configPath === path && !isStarted(service))
    .map(serviceReloadCommands);
}

/**
 * The creation of a namespace whose lo the plan marks (a later change of the same plan sets
 * its alias): made and marked in one command line, so a run cut between two steps never
 * leaves a namespace that the next run takes for someone else's (issue 11, point 7). The
 * later change sets the same alias again, harmlessly. Undefined for any other change.
 */
function markedNamespaceCreate(
  change: Change,
  changes: readonly Change[],
): CommandGroup | undefined {
  if (change.kind !== "namespace" || change.action !== "create") return undefined;
  const name = change.key;
  const lo = changes.find(
    (other) => other.kind === "link" && other.netns === name && other.key === "lo",
  )?.after;
  const alias = lo !== undefined && "alias" in lo ? lo.alias : undefined;
  if (alias === undefined) return undefined;
  const netns = safeNamespace(name);
  return {
    executor: "sh",
    lines: [`ip netns add ${netns} && ip -n ${netns} link set dev lo alias ${safeAlias(alias)}`],
  };
}

/**
 * The steps of a host's changes. `services`: the host's desired services, which tell which
 * file changes mean a reload.
 */
export function applySteps(
  changes: readonly Change[],
  services: readonly Service[] = [],
): ApplyStep[] {
  const steps: { executor: Executor; netns?: string; lines: ApplyStepLine[] }[] = [];
  changes.forEach((change, index) => {
    const marked = markedNamespaceCreate(change, changes);
    const groups: CommandGroup[] = [
      ...(marked === undefined ? changeCommands(change) : [marked]),
      ...reloadAfter(change, services, changes),
    ];
    for (const group of groups) {
      const lines = group.lines.map((text) => ({ text, change: index }));
      const last = steps.at(-1);
      if (last !== undefined && last.executor === group.executor && last.netns === group.netns) {
        last.lines.push(...lines);
      } else {
        steps.push({
          executor: group.executor,
          ...(group.netns !== undefined && { netns: group.netns }),
          lines,
        });
      }
    }
  });
  return steps.filter((step) => step.lines.length > 0);
}

const batchDelimiter = (index: number): string => `NK_BATCH_${index}`;

function renderStepFunction(step: ApplyStep, index: number): string {
  const name = `nk_step_${index}`;
  if (step.executor === "sh") {
    const body = step.lines
      .map(
        (line, lineIndex) =>
          `  {\n    ${line.text}\n  } || { nk_rc=$?; printf 'Command failed -:%s\\n' ${lineIndex + 1} >&2; return "$nk_rc"; }`,
      )
      .join("\n");
    return `${name}() {\n${body}\n}`;
  }
  const delimiter = batchDelimiter(index);
  const program = step.netns === undefined ? step.executor : `${step.executor} -n ${step.netns}`;
  // The quoted delimiter keeps the shell from expanding anything in the batch.
  return [
    `${name}() {`,
    `  ${program} -batch - <<'${delimiter}'`,
    ...step.lines.map((line) => line.text),
    delimiter,
    "}",
  ].join("\n");
}

/** The script of prepared steps (see applySteps), under `lock` when one is given. */
export function renderStepsScript(steps: readonly ApplyStep[], lock?: LockSection): string {
  const functions = steps.map((step, index) => renderStepFunction(step, index + 1)).join("\n\n");
  return renderRemoteScript({
    ...APPLY_KIND,
    summary: `${steps.length} steps.`,
    functions: `${functions}

# nk_run N: runs step N as its section, unless a step before it failed.
nk_run() {
  [ -z "$nk_script_status" ] || return 0
  nk_section "${STEP_SECTION}$1" "nk_step_$1" || nk_script_status=1
}`,
    main: steps.map((_, index) => `  nk_run ${index + 1}`).join("\n"),
    ...(lock !== undefined && { lock }),
  });
}

/** One script that carries out a host's changes in plan order (see the notes above). */
export const renderApplyScript = (
  changes: readonly Change[],
  services: readonly Service[] = [],
): string => renderStepsScript(applySteps(changes, services));
