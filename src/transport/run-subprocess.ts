import { spawn } from "node:child_process";
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
 * (the lab's sshd probe reads the banner of a connection that never closes). `cause` says
 * what happened, for the cause chain (`--debug`).
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

/** How long a process stopped with SIGTERM (timeout, too much output) has before SIGKILL. */
const KILL_GRACE_MS = 5_000;

/**
 * Runs argv (program first, no shell) on this machine: the one place a local process is
 * started and timed out, for every transport (ssh and the netns wrappers are local processes
 * themselves) and for the lab's own commands. Output is kept byte for byte (UTF-8), final
 * newline included. Never throws for the process's sake: the end says what happened.
 *
 * node:child_process directly, not a wrapper library: a run starts one process per host and
 * phase, and execa cost 0.19 s of CPU to load and about 7 ms of CPU per process on top of the
 * spawn (measured: 30 `cat` runs, 417 against 200 ms of CPU), on the event loop that starts
 * the other hosts' processes.
 */
export async function runLocalProcess(
  argv: readonly string[],
  options: LocalProcessOptions = {},
): Promise<LocalProcessEnd> {
  const [file, ...args] = argv;
  if (file === undefined) {
    throw new RangeError("runLocalProcess needs a program to start: argv is empty");
  }
  return new Promise((resolve) => {
    const child = spawn(file, args, {
      // A process group of its own: the SIGINT a terminal sends its foreground group on Ctrl-C
      // reaches netplan-k alone, which lets the scripts already sent finish (an interrupted
      // run's safe point), instead of killing them half-way (issue 11, point 7).
      detached: true,
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    const output = { stdout: "", stderr: "" };
    let stopped: "timed-out" | "too-large" | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    const stop = (why: "timed-out" | "too-large"): void => {
      if (stopped !== undefined) return;
      stopped = why;
      child.kill("SIGTERM");
      graceTimer = setTimeout(() => child.kill("SIGKILL"), KILL_GRACE_MS);
      graceTimer.unref();
    };
    for (const stream of ["stdout", "stderr"] as const) {
      child[stream]?.setEncoding("utf8");
      child[stream]?.on("data", (chunk: string) => {
        if (stopped === "too-large") return;
        output[stream] += chunk;
        if (
          options.maxOutputChars !== undefined &&
          output[stream].length > options.maxOutputChars
        ) {
          stop("too-large");
          output[stream] = output[stream].slice(0, options.maxOutputChars);
        }
      });
    }
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            stop("timed-out");
            // A child of the process (a hung command of a local or netns script) keeps the
            // output pipes open after the process itself is gone: stop reading them, so that
            // the timeout is the bound, not that child's end.
            child.stdout?.destroy();
            child.stderr?.destroy();
            // Best effort: the caller learns of the timeout whether or not the cleanup worked.
            void options.onTimeout?.().catch(() => undefined);
          }, options.timeoutMs);
    let spawnError: Error | undefined;
    child.on("error", (error) => {
      // Not started (ENOENT, EACCES); a failed kill of a process already gone also lands here.
      spawnError ??= error;
      if (child.pid === undefined) finish(null, null);
    });
    // A stopped process's pipes may stay open (see the timeout): its exit is the end then.
    child.on("exit", (code, signal) => {
      if (stopped !== undefined) finish(code, signal);
    });
    child.on("close", (code, signal) => finish(code, signal));
    let finished = false;
    function finish(code: number | null, signal: NodeJS.Signals | null): void {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      const { stdout, stderr } = output;
      if (child.pid === undefined) {
        resolve({
          kind: "not-started",
          reason: spawnError?.message ?? "no reason given",
          cause: spawnError,
        });
      } else if (stopped === "timed-out") {
        resolve({ kind: "timed-out", stdout, stderr, cause: { code, signal, stdout, stderr } });
      } else if (stopped === "too-large") {
        resolve({
          kind: "too-large",
          cause: new Error(`output past ${options.maxOutputChars} characters (${file})`),
        });
      } else {
        const exitCode = code ?? 128 + (signal === null ? 0 : constants.signals[signal]);
        resolve({ kind: "exited", exitCode, stdout, stderr });
      }
    }
    if (options.stdin !== undefined) {
      // A process that exits without reading all of it (a refused ssh) closes the pipe: EPIPE
      // is its business, reported by its exit status.
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(options.stdin);
    }
  });
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
