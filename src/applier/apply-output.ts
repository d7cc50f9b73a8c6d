import { APPLY_MARKER, stepCommand, type ApplyStep } from "./apply-script.js";

/** What the markers of an apply script's output say (see apply-script.ts). */
export interface ApplyOutcome {
  /** Steps that finished, in order (1-based, as the markers number them). */
  readonly done: readonly number[];
  /** The step that failed, its exit status and what it printed. */
  readonly failure?: { readonly step: number; readonly exitCode: number; readonly output: string };
  /** The end marker was printed: every step succeeded. */
  readonly complete: boolean;
}

export function parseApplyOutput(output: string): ApplyOutcome {
  const done: number[] = [];
  const failedOutput: string[] = [];
  let failure: ApplyOutcome["failure"];
  let complete = false;
  for (const line of output.split("\n")) {
    if (!line.startsWith(APPLY_MARKER)) continue;
    const rest = line.slice(APPLY_MARKER.length);
    if (rest.startsWith("output:")) {
      failedOutput.push(rest.slice("output:".length));
    } else if (rest.startsWith("done:")) {
      done.push(Number(rest.slice("done:".length)));
    } else if (rest.startsWith("failed:")) {
      const [step = "", exitCode = ""] = rest.slice("failed:".length).split(":");
      failure = { step: Number(step), exitCode: Number(exitCode), output: failedOutput.join("\n") };
    } else if (rest === "end") {
      complete = true;
    }
  }
  return { done, ...(failure !== undefined && { failure }), complete };
}

/** The line number `ip -batch` (and the script's shell steps) report for the failing command. */
const FAILED_LINE = /^Command failed -:(\d+)\s*$/;

/**
 * "node-a: ip -batch failed at line 3 (route replace 10.244.2.0/24 via ...): Error: Nexthop
 * has invalid gateway." - the exact command and what the kernel answered.
 */
export function describeStepFailure(
  host: string,
  steps: readonly ApplyStep[],
  failure: NonNullable<ApplyOutcome["failure"]>,
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
  return failedLine === undefined
    ? `${host}: ${command} failed (step ${failure.step}): ${answer}`
    : `${host}: ${command} failed at line ${lineNumber} (${failedLine.text}): ${answer}`;
}
