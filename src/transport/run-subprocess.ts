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

/** What to give a local process, and how long it may run. */
export interface LocalProcessOptions {
  /** Written to its stdin, which is then closed; without it stdin is /dev/null. */
  readonly stdin?: string;
  /** Stop it (SIGTERM) after this long; then `onTimeout` runs. */
  readonly timeoutMs?: number;
  /** See Subprocess.onTimeout. */
  readonly onTimeout?: () => Promise<void>;
  /** Stop it once its stdout or stderr holds more than this many characters; unbounded if absent. */
  readonly maxOutputChars?: number;
}

/**
 * How a local process ended. A timed-out process keeps what it printed before it was stopped
 * (the lab's sshd probe reads the banner of a connection that never closes). `cause` is
 * execa's account of the failure, for the cause chain (`--debug`).
 */
export type LocalProcessEnd =
  | {
      readonly kind: "exited";
      /** Its exit status; 128 + n when signal n killed it (the shell's convention). */
      readonly exitCode: number;
      readonly stdout: string;
      readonly stderr: string;
    }
  | {
      readonly kind: "timed-out";
      readonly stdout: string;
      readonly stderr: string;
      readonly cause: unknown;
    }
  | { readonly kind: "too-large"; readonly cause: unknown }
  | { readonly kind: "not-started"; readonly reason: string; readonly cause: unknown };

/**
 * Runs argv (program first, no shell) on this machine: the one place a local process is
 * started and timed out, for every transport (ssh and the netns wrappers are local processes
 * themselves) and for the lab's own commands. Output is kept byte for byte, final newline
 * included. Never throws for the process's sake: the end says what happened.
 */
export async function runLocalProcess(
  argv: readonly string[],
  options: LocalProcessOptions = {},
): Promise<LocalProcessEnd> {
  const [file, ...args] = argv;
  if (file === undefined) {
    throw new RangeError("runLocalProcess needs a program to start: argv is empty");
  }
  const running = execa(file, args, {
    reject: false,
    // A process group of its own: the SIGINT a terminal sends its foreground group on Ctrl-C
    // reaches netplan-k alone, which lets the scripts already sent finish (an interrupted
    // run's safe point), instead of killing them half-way (issue 11, point 7).
    detached: true,
    // Output is data (JSON, scripts): keep it byte for byte, final newline included.
    stripFinalNewline: false,
    ...(options.maxOutputChars !== undefined && { maxBuffer: options.maxOutputChars }),
    ...(options.stdin === undefined ? { stdin: "ignore" as const } : { input: options.stdin }),
  });
  let timedOut = false;
  let cleanup: Promise<void> | undefined;
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
          // Best effort: the caller learns of the timeout whether or not the cleanup worked.
          cleanup = options.onTimeout?.().catch(() => undefined);
        }, options.timeoutMs);
  const result = await running;
  clearTimeout(timer);

  if (timedOut) {
    // Waited for before the caller hears of the timeout: its next command must not meet the
    // cleanup half done (an ssh master still closing took that command's session and dropped
    // it, empty output, on a loaded machine).
    await cleanup;
    return { kind: "timed-out", stdout: result.stdout, stderr: result.stderr, cause: result };
  }
  if (result.isMaxBuffer) return { kind: "too-large", cause: result };
  if (result.exitCode !== undefined) {
    return {
      kind: "exited",
      exitCode: result.exitCode,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  }
  if (result.signal !== undefined) {
    return {
      kind: "exited",
      exitCode: 128 + constants.signals[result.signal],
      stdout: result.stdout,
      stderr: result.stderr,
    };
  }
  return {
    kind: "not-started",
    reason: result.originalMessage ?? "no reason given",
    cause: result,
  };
}

/**
 * Runs one local process for a transport and reports it as a RunResult. Throws a
 * TransportError "transport.timeout" when it outlives `options.timeoutMs`, and
 * "transport.spawn-failed" when its program cannot be started.
 */
export async function runSubprocess(
  subprocess: Subprocess,
  options: RunOptions,
): Promise<RunResult> {
  const { host, argv, label } = subprocess;
  const end = await runLocalProcess(argv, {
    ...(options.stdin !== undefined && { stdin: options.stdin }),
    ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
    ...(subprocess.onTimeout !== undefined && { onTimeout: subprocess.onTimeout }),
    ...(options.maxOutputChars !== undefined && { maxOutputChars: options.maxOutputChars }),
  });
  switch (end.kind) {
    case "exited":
      return { exitCode: end.exitCode, stdout: end.stdout, stderr: end.stderr };
    case "timed-out":
      throw new TransportError(
        "transport.timeout",
        host,
        `${label} did not finish within ${options.timeoutMs} ms and was stopped` +
          `${subprocess.timeoutNote ?? ""}; raise the timeout or find out what the command waits for`,
        { cause: end.cause },
      );
    case "too-large":
      throw new TransportError(
        "transport.output-too-large",
        host,
        `${label} printed more than ${options.maxOutputChars} characters and was stopped` +
          `${subprocess.timeoutNote ?? ""}; no host's state is that large: find out what prints it ` +
          "(a wrapper around ip, a shell start-up file)",
        { cause: end.cause },
      );
    case "not-started": {
      const program = argv[0] as string;
      throw new TransportError(
        "transport.spawn-failed",
        host,
        `could not start ${program}: ${end.reason}; check that ${program} is installed and on PATH`,
        { cause: end.cause },
      );
    }
  }
}
