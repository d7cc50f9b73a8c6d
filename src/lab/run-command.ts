import { execa } from "execa";
import { LabError } from "./lab-error.js";

export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs argv (no shell) and returns its output whatever the exit code. */
export async function tryCommand(
  argv: readonly string[],
  options: { readonly input?: string; readonly timeoutMs?: number } = {},
): Promise<CommandResult> {
  const [file = "", ...args] = argv;
  const result = await execa(file, args, {
    input: options.input ?? "",
    reject: false,
    stripFinalNewline: false,
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
  });
  const failedToStart = result.exitCode === undefined && !result.timedOut;
  return {
    exitCode: result.exitCode ?? (failedToStart ? 127 : 124),
    stdout: String(result.stdout ?? ""),
    stderr: failedToStart ? (result.message ?? "") : String(result.stderr ?? ""),
  };
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
