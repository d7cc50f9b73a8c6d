import { runLocalProcess } from "../transport/run-subprocess.js";
import { LabError } from "./lab-error.js";

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs argv (no shell) through the transports' runLocalProcess and returns its output whatever
 * the exit code: 124 when `timeoutMs` stopped it (with what it printed until then), 127 with
 * the reason as stderr when it could not be started.
 */
export async function tryCommand(
  argv: readonly string[],
  options: { readonly input?: string; readonly timeoutMs?: number } = {},
): Promise<CommandResult> {
  const end = await runLocalProcess(argv, {
    stdin: options.input ?? "",
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
  });
  switch (end.kind) {
    case "exited":
      return { exitCode: end.exitCode, stdout: end.stdout, stderr: end.stderr };
    case "timed-out":
      return { exitCode: 124, stdout: end.stdout, stderr: end.stderr };
    case "too-large":
      return { exitCode: 1, stdout: "", stderr: "printed more output than it may" };
    case "not-started":
      return { exitCode: 127, stdout: "", stderr: end.reason };
  }
}

/** Runs argv (no shell); a non-zero exit becomes a LabError naming the command and its stderr. */
export async function runCommand(
  argv: readonly string[],
  options: { readonly input?: string; readonly timeoutMs?: number } = {},
): Promise<string> {
  const result = await tryCommand(argv, options);
  if (result.exitCode !== 0) {
    throw new LabError(
      `${argv.join(" ")} failed (exit ${result.exitCode}): ${result.stderr.trim() || "no error output"}`,
    );
  }
  return result.stdout;
}
