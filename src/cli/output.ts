import { drained, writeTo } from "./closed-pipe.js";
import { sanitizeTerminalText } from "./terminal-text.js";

/** Where and how the CLI writes: colour only on a terminal, and never when NO_COLOR is set. */
export interface Output {
  readonly color: boolean;
  /** A person at a terminal: live progress, and questions may be asked. */
  readonly interactive: boolean;
  /** Width of the terminal stdout writes to; undefined for a file or a pipe (never wrapped). */
  readonly columns?: number;
  out(text: string): void;
  err(text: string): void;
  /**
   * Resolves once what `out` wrote has left the process's buffer (at once when it has):
   * a writer of hundreds of megabytes waits on it between pieces, since a pipe takes writes
   * more slowly than they come and would otherwise hold them all. Absent: nothing to wait for.
   */
  drained?(): Promise<void>;
}

export function terminalOutput(options: { color?: boolean }): Output {
  const color =
    options.color !== false &&
    process.stdout.isTTY === true &&
    process.env["NO_COLOR"] === undefined;
  return {
    color,
    interactive:
      process.stdout.isTTY === true &&
      process.stderr.isTTY === true &&
      process.stdin.isTTY === true,
    ...(process.stdout.isTTY === true && { columns: process.stdout.columns }),
    out: (text) => writeTo(process.stdout, lineOf(text)),
    err: (text) => writeTo(process.stderr, lineOf(text)),
    drained: () => drained(process.stdout),
  };
}

/**
 * What is written for `text`, to a stream or to an in-process run's capture: host-provided
 * control bytes made visible (\xNN), one final newline.
 */
export const lineOf = (text: string): string => {
  const safe = sanitizeTerminalText(text);
  return safe.endsWith("\n") ? safe : `${safe}\n`;
};
