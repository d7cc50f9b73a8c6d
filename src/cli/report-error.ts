import { causeChain, NetplanError } from "../model/netplan-error.js";
import type { JsonError } from "./json-errors.js";

/**
 * How the CLI shows an error that stopped a command. A NetplanError says what is wrong in its
 * message (no stack, no "report it"); anything else is a bug, reported as "internal.bug". A
 * system error of Node (a file that cannot be written, with its errno `code` and `syscall`)
 * is shown as netplan-k's own, as it names the file and what went wrong.
 */

const INTERNAL_HINT = "Run again with --debug for the stack, and report it.";

/** The error as the CLI reports it: its stable code, message and remedy. */
function reportedOf(error: unknown): { code: string; message: string; remedy?: string } {
  if (error instanceof NetplanError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.remedy !== undefined && { remedy: error.remedy }),
    };
  }
  const system = error as NodeJS.ErrnoException;
  if (error instanceof Error && typeof system.code === "string" && system.syscall !== undefined) {
    return { code: system.code, message: error.message };
  }
  return {
    code: "internal.bug",
    message: `internal error: ${(error as Error | undefined)?.message ?? String(error)}`,
    remedy: INTERNAL_HINT,
  };
}

/** Any error as `-o json` prints it: the library's own code, or "internal.bug". */
export function jsonErrorOf(error: unknown): JsonError {
  const { code, message, remedy } = reportedOf(error);
  return { code, message, ...(remedy !== undefined && { hint: remedy }) };
}

/**
 * The lines for stderr: "netplan-k: <message>", then its hint if any, then with `debug` the
 * stack and the causes (debugLines). A bug says to run again with --debug instead of a hint,
 * and shows its stack under --debug.
 */
export function errorLines(error: unknown, debug: boolean): string[] {
  const { code, message, remedy } = reportedOf(error);
  const head = `netplan-k: ${message}`;
  if (code === "internal.bug")
    return [head, ...(debug ? debugLines(error) : [`  ${INTERNAL_HINT}`])];
  return [
    head,
    ...(remedy === undefined ? [] : [`  hint: ${remedy}`]),
    ...(debug ? debugLines(error) : []),
  ];
}

/**
 * What --debug adds: the error's stack, then each cause's ("caused by: ..."), outermost
 * first, so a failure shows the whole way down to the process or parse error under it.
 */
export function debugLines(error: unknown): string[] {
  const describe = (e: unknown): string =>
    e instanceof Error ? (e.stack ?? e.message) : String(e);
  return [describe(error), ...causeChain(error).map((cause) => `caused by: ${describe(cause)}`)];
}
