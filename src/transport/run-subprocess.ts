import { execa } from "execa";
import { constants } from "node:os";
import type { RunOptions, RunResult } from "./transport.js";
import { TransportError } from "./transport-error.js";

/** One local process to start on behalf of a transport. */
export interface Subprocess {
  /** The topology's host name, for errors. */
  readonly host: string;
  /** The process to start, program first; no local shell is involved. */
  readonly argv: readonly string[];
  /** How errors name the command the caller asked for (`"ip -j link" over ssh to …`). */
  readonly label: string;
  /**
   * Called when the timeout stops the process, to release what the process left behind: an
   * ssh mux client hands its stdout and stderr to the master, which keeps them open (and so
   * keeps this run from finishing) until the remote command ends.
   */
  readonly onTimeout?: () => Promise<void>;
  /** Added to the timeout message: what stopping the process did not stop. */
  readonly timeoutNote?: string;
}

/**
 * Runs one local process and reports it as a RunResult. Shared by every transport: ssh and
 * the netns wrappers are themselves local processes.
 */
export async function runSubprocess(
  subprocess: Subprocess,
  options: RunOptions,
): Promise<RunResult> {
  const { host, argv, label } = subprocess;
  const [file, ...args] = argv;
  if (file === undefined) {
    throw new RangeError("runSubprocess needs a program to start: argv is empty");
  }
  const running = execa(file, args, {
    reject: false,
    // Output is data (JSON, scripts): keep it byte for byte, final newline included.
    stripFinalNewline: false,
    ...(options.maxOutputChars !== undefined && { maxBuffer: options.maxOutputChars }),
    ...(options.stdin === undefined ? { stdin: "ignore" as const } : { input: options.stdin }),
  });
  let timedOut = false;
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          running.kill();
          // A child of the process (a hung command of a local or netns script) keeps the
          // output pipes open after the process itself is gone: stop reading them, so that
          // the timeout is the bound, not that child's end.
          running.stdout?.destroy();
          running.stderr?.destroy();
          // Best effort: the caller gets the timeout error whether or not the cleanup worked.
          void subprocess.onTimeout?.().catch(() => undefined);
        }, options.timeoutMs);
  const result = await running;
  clearTimeout(timer);

  if (timedOut) {
    throw new TransportError(
      "transport.timeout",
      host,
      `${label} did not finish within ${options.timeoutMs} ms and was stopped` +
        `${subprocess.timeoutNote ?? ""}; raise the timeout or find out what the command waits for`,
      { cause: result },
    );
  }
  if (result.isMaxBuffer) {
    throw new TransportError(
      "transport.output-too-large",
      host,
      `${label} printed more than ${options.maxOutputChars} characters and was stopped` +
        `${subprocess.timeoutNote ?? ""}; no host's state is that large: find out what prints it ` +
        "(a wrapper around ip, a shell start-up file)",
      { cause: result },
    );
  }
  if (result.exitCode !== undefined) {
    return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
  }
  if (result.signal !== undefined) {
    return {
      exitCode: 128 + constants.signals[result.signal],
      stdout: result.stdout,
      stderr: result.stderr,
    };
  }
  throw new TransportError(
    "transport.spawn-failed",
    host,
    `could not start ${file}: ${result.originalMessage}; check that ${file} is installed and on PATH`,
    { cause: result },
  );
}
