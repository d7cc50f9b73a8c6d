import type { RunOptions, RunResult, Transport } from "../../src/transport/transport.js";

/** One command a fake machine was asked to run. */
export interface MachineCall {
  readonly argv: readonly string[];
  readonly stdin?: string;
}

/**
 * A lab machine that runs nothing: it records each call and answers with `answer` (exit 0 and
 * empty output unless told otherwise).
 */
export function fakeMachine(
  answer: (argv: readonly string[], options: RunOptions) => Partial<RunResult> = () => ({}),
): Transport & { readonly calls: MachineCall[] } {
  const calls: MachineCall[] = [];
  return {
    host: "lab fake",
    calls,
    async run(argv, options = {}) {
      calls.push({ argv, ...(options.stdin === undefined ? {} : { stdin: options.stdin }) });
      return { exitCode: 0, stdout: "", stderr: "", ...answer(argv, options) };
    },
    async close() {},
  };
}
