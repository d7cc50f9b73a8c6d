import type { Service } from "../model/index.js";
import type { Change } from "../planner/plan.js";
import {
  changeCommands,
  serviceReloadCommands,
  type CommandGroup,
  type Executor,
} from "./change-commands.js";
import { flushRouteCacheAfterMtu } from "./flush-route-cache.js";
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
  const flush = flushRouteCacheAfterMtu(changes);
  if (flush !== undefined) {
    steps.push({
      executor: flush.executor,
      lines: flush.lines.map((text) => ({ text, change: changes.length - 1 })),
    });
  }
  return steps.filter((step) => step.lines.length > 0);
}

const batchDelimiter = (index: number): string => `NK_BATCH_${index}`;

/**
 * What a step does when one of its lines fails. stop (an apply): the step fails with that
 * line's status, `Command failed -:<line>` on its stderr, and the script runs no further step.
 * count (a confirm-timeout revert, armed-revert-script.ts): every line runs (`-force`), and
 * each failing line is judged by nk_judge (REVERT_JUDGE): a delete that found the object
 * already absent, or a create that found it already there, leaves the host as wanted and is
 * counted apart (nk_already); any other failure counts in nk_failed.
 */
export type StepFailureMode = "stop" | "count";

/** How a line's failure may mean "already as wanted" (count mode): its verb says. */
const lineIntent = (text: string): "delete" | "create" | "other" => {
  if (/^(?:link|route|addr|address|neigh|netns|fdb) del\b/.test(text)) return "delete";
  if (/^(?:link|route|addr|address|netns|fdb) (?:add|append)\b|^ip netns add\b/.test(text)) {
    return "create";
  }
  return "other";
};

/** " 1 4 ": the 1-based numbers of a step's lines of one intent, for nk_judge. */
const linesOf = (step: ApplyStep, intent: "delete" | "create"): string =>
  ` ${step.lines.flatMap((line, i) => (lineIntent(line.text) === intent ? [i + 1] : [])).join(" ")} `;

/**
 * nk_judge STATUS DELETES CREATES (count mode): reads a step's stderr from "$nk_err_file" (ip
 * and bridge print the kernel's message, then `Command failed -:<line>`) and counts each failed
 * line: already as wanted when it is one of DELETES (" 1 4 ") and the message says the object
 * is absent, or one of CREATES and the message says it exists; failed otherwise. A status
 * without any such line (ip exits at once on some errors) counts one failure. Messages as
 * iproute2 6.1 prints them on kernel 6.18 (measured in a namespace): absent: `Cannot find
 * device`, `RTNETLINK answers: No such process` (route), `Error: ipv4: Address not found.`,
 * `RTNETLINK answers: No such file or directory` (neighbour, fdb entry), `FIB table does not
 * exist`, `Cannot remove namespace file ... No such file or directory`; present: `RTNETLINK
 * answers: File exists`, `Error: ipv4: Address already assigned.`, `Cannot create namespace
 * file ... File exists`.
 */
export const REVERT_JUDGE = `nk_failed=0
nk_already=0
nk_err_file=\${TMPDIR:-/tmp}/nk-revert-err.$$
nk_judge() {
  nk_seen=0
  nk_message=
  while IFS= read -r nk_line; do
    printf '%s\\n' "$nk_line" >&2
    case $nk_line in
      "Command failed -:"*)
        nk_seen=1
        nk_n=\${nk_line#Command failed -:}
        nk_intent=other
        case $2 in *" $nk_n "*) nk_intent=delete ;; esac
        case $3 in *" $nk_n "*) nk_intent=create ;; esac
        case $nk_intent:$nk_message in
          delete:*"Cannot find device"* | delete:*"No such process"* | \\
            delete:*"Address not found"* | delete:*"No such file or directory"* | \\
            delete:*"FIB table does not exist"* | create:*"File exists"* | \\
            create:*"Address already assigned"*)
            nk_already=$((nk_already + 1)) ;;
          *) nk_failed=$((nk_failed + 1)) ;;
        esac
        nk_message= ;;
      *) nk_message=$nk_line ;;
    esac
  done <"$nk_err_file"
  if [ "$1" -ne 0 ] && [ "$nk_seen" = 0 ]; then nk_failed=$((nk_failed + 1)); fi
  rm -f "$nk_err_file"
}`;

/**
 * Step `index` (1-based) of a script as the shell function nk_step_<index>, failing as `mode`
 * says (StepFailureMode): the one renderer of apply, rollback and revert scripts.
 */
export function renderStepFunction(step: ApplyStep, index: number, mode: StepFailureMode): string {
  const name = `nk_step_${index}`;
  if (step.executor === "sh") {
    const body = step.lines
      .map((line, lineIndex) => {
        if (mode === "stop") {
          return `  {\n    ${line.text}\n  } || { nk_rc=$?; printf 'Command failed -:%s\\n' ${lineIndex + 1} >&2; return "$nk_rc"; }`;
        }
        // Each line on its own, judged as a batch line is: the next runs whatever it did.
        const intent = lineIntent(line.text);
        const lines = ` ${lineIndex + 1} `;
        return (
          `  {\n    ${line.text}\n  } 2>"$nk_err_file" || printf 'Command failed -:%s\\n' ${lineIndex + 1} >>"$nk_err_file"\n` +
          `  nk_judge 0 "${intent === "delete" ? lines : " "}" "${intent === "create" ? lines : " "}"`
        );
      })
      .join("\n");
    return `${name}() {\n${body}\n}`;
  }
  const delimiter = batchDelimiter(index);
  const program = step.netns === undefined ? step.executor : `${step.executor} -n ${step.netns}`;
  // The quoted delimiter keeps the shell from expanding anything in the batch.
  const batch = [...step.lines.map((line) => line.text), delimiter];
  if (mode === "stop") {
    return [`${name}() {`, `  ${program} -batch - <<'${delimiter}'`, ...batch, "}"].join("\n");
  }
  // -force: ip and bridge go on past a failing line and exit 1 at the end.
  return [
    `${name}() {`,
    `  ${program} -force -batch - 2>"$nk_err_file" <<'${delimiter}'`,
    ...batch,
    `  nk_judge $? "${linesOf(step, "delete")}" "${linesOf(step, "create")}"`,
    "}",
  ].join("\n");
}

/** The script of prepared steps (see applySteps), under `lock` when one is given. */
export function renderStepsScript(steps: readonly ApplyStep[], lock?: LockSection): string {
  const functions = steps
    .map((step, index) => renderStepFunction(step, index + 1, "stop"))
    .join("\n\n");
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
