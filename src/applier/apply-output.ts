import { parseRemoteOutput, RemoteOutputError } from "../remote/index.js";
import type { Change } from "../planner/plan.js";
import { APPLY_KIND, stepCommand, stepSection, type ApplyStep } from "./apply-script.js";

/** What the sections of an apply script's output say (see apply-script.ts). */
export interface ApplyOutcome {
  /** Steps that finished, in order (1-based, as the sections number them). */
  readonly done: readonly number[];
  /** The step that failed, its exit status and what it printed (stdout, then stderr). */
  readonly failure?: { readonly step: number; readonly exitCode: number; readonly output: string };
  /** The end line came and no step failed: every step succeeded. */
  readonly complete: boolean;
}

/**
 * Reads the output of the apply script run on `host`. A stream cut short (or empty) is an
 * outcome with the steps done so far and `complete` false; output that is not the apply
 * script's (or whose steps come out of order) throws RemoteOutputError.
 */
export function parseApplyOutput(host: string, output: string): ApplyOutcome {
  const parsed = parseRemoteOutput(host, APPLY_KIND, output);
  const done: number[] = [];
  for (const [index, section] of parsed.sections.entries()) {
    const step = index + 1;
    if (section.name !== stepSection(step)) {
      throw new RemoteOutputError(
        `${host}: the apply output's section ${index + 1} is "${section.name}", expected "${stepSection(step)}"`,
        { host },
      );
    }
    if (section.exitCode !== 0) {
      const output = [section.body, section.stderr].filter((text) => text !== "").join("\n");
      return { done, failure: { step, exitCode: section.exitCode, output }, complete: false };
    }
    done.push(step);
  }
  return { done, complete: parsed.complete };
}
/** The line number `ip -batch` (and the script's shell steps) report for the failing command. */
const FAILED_LINE = /^Command failed -:(\d+)\s*$/;

/**
 * "node-a: ip -batch failed at line 3 (route replace 10.244.2.0/24 via ...): Error: Nexthop
 * has invalid gateway." - the exact command and what the kernel answered. With the plan's
 * `changes` (the lines' change indices point into them), a failed sysctl write names the
 * sysctl and its value first ("node-a: setting sysctl net.ipv4.ip_forward to 1 failed (sh
 * line 1: printf ...): ..."): the executor alone says nothing to a person. A failed file write
 * or removal names the file and what the shell answered, and leaves the line out: a write's
 * line carries the whole file in base64 ("node-a: could not write /etc/bird/bird.conf (sh
 * line 2): sh: 2: cannot create /etc/bird/bird.conf.netplan-k.tmp: Read-only file system").
 */
export function describeStepFailure(
  host: string,
  steps: readonly ApplyStep[],
  failure: NonNullable<ApplyOutcome["failure"]>,
  changes: readonly Change[] = [],
): string {
  const step = steps[failure.step - 1];
  const lines = failure.output.split("\n");
  const lineNumber = lines
    .map((line) => FAILED_LINE.exec(line)?.[1])
    .filter((match): match is string => match !== undefined)
    .map(Number)
    .at(-1);
  const said = lines
    .filter((line) => !FAILED_LINE.test(line) && line.trim() !== "")
    .map((line) => line.trim())
    .join(" ");
  const answer = said === "" ? `exit status ${failure.exitCode}` : said;
  if (step === undefined) {
    return `${host}: apply step ${failure.step} failed: ${answer}`;
  }
  const command = stepCommand(step);
  const failedLine = lineNumber === undefined ? undefined : step.lines[lineNumber - 1];
  const change = failedLine === undefined ? undefined : changes[failedLine.change];
  if (failedLine !== undefined && change?.kind === "sysctl" && change.after !== undefined) {
    return (
      `${host}: setting sysctl ${change.after.key} to ${change.after.value} failed ` +
      `(${command} line ${lineNumber}: ${failedLine.text}): ${answer}`
    );
  }
  if (failedLine !== undefined && change?.kind === "file") {
    const file = change.after ?? change.before;
    const doing = change.after === undefined ? "remove" : "write";
    return `${host}: could not ${doing} ${file?.path ?? "a managed file"} (${command} line ${lineNumber}): ${answer}`;
  }
  return failedLine === undefined
    ? `${host}: ${command} failed (step ${failure.step}): ${answer}`
    : `${host}: ${command} failed at line ${lineNumber} (${failedLine.text}): ${answer}`;
}
