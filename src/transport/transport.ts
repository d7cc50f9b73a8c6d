/**
 * The edge through which netplan-k runs commands on a host: this machine, a local network
 * namespace, or a machine over SSH. Everything above (observe, applier) sees only this
 * interface, so tests can replace it with a fake that records calls or fails on demand.
 *
 * Commands are argv arrays, never shell lines: a transport that must cross a shell (ssh) quotes
 * every element itself. Scripts (`ip -batch -`) travel on stdin.
 */
export interface Transport {
  /** The topology's name for the host ("node-a"); every TransportError names it. */
  readonly host: string;
  /**
   * Runs one command. A command that runs and exits non-zero is a RunResult, not a throw;
   * a host that cannot be reached (or a command that outlives timeoutMs) is a TransportError.
   */
  run(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Releases what the transport holds (an SSH master connection); safe to call twice. */
  close(): Promise<void>;
}

export interface RunOptions {
  /** Written to the command's stdin, which is then closed; without it stdin is /dev/null. */
  readonly stdin?: string;
  /** Stop the command after this long and throw a TransportError with code "transport.timeout". */
  readonly timeoutMs?: number;
  /**
   * Stop the command once its stdout or stderr holds more than this many characters, and throw
   * a TransportError with code "transport.output-too-large"; unbounded when left out.
   */
  readonly maxOutputChars?: number;
  /**
   * What the run is for ("observe", "build", "verify", …): named by `--debug`'s line for the
   * round trip (trace-transport.ts), and nowhere else.
   */
  readonly phase?: string;
}

export interface RunResult {
  /** The command's exit status; 128 + n when signal n killed a local process (shell convention). */
  readonly exitCode: number;
  /** Exactly what the command wrote, final newline included. */
  readonly stdout: string;
  readonly stderr: string;
}
