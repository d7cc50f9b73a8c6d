import type { ApplierErrorCode } from "../applier/applier-error.js";
import type { GraphErrorCode } from "../graph/graph-error.js";
import { NetplanError } from "../model/netplan-error.js";
import type { TransportErrorCode } from "../transport/transport-error.js";
import type { VerifyErrorCode } from "../verify/verify-error.js";
import type { CliErrorCode } from "./cli-error.js";

/** Exit codes, as Terraform's `-detailed-exitcode` has them. */
export const EXIT_OK = 0;
/** An error: invalid topology, a conflict in the plan, a host that cannot be planned. */
export const EXIT_ERROR = 1;
/** With --detailed-exitcode: the plan has changes. */
export const EXIT_CHANGES = 2;
/** An apply or destroy stopped by SIGINT or SIGTERM: what a shell reports for 128 + SIGINT (2). */
export const EXIT_INTERRUPTED = 130;
/**
 * What a shell reports for a tool whose reader went away (`yes | head -1`): 128 + SIGPIPE (13).
 */
export const EXIT_CLOSED_PIPE = 141;

/** Every code a NetplanError that reaches the CLI may carry. */
export type ReportedErrorCode =
  | CliErrorCode
  | ApplierErrorCode
  | GraphErrorCode
  | TransportErrorCode
  | VerifyErrorCode
  | "E_FORMAT_VERSION"
  | "E_PLAN_FILE"
  | "E_OBSERVATION"
  | "E_LAB"
  | "NK_COMPILE_DUPLICATE";

/**
 * The exit code of a command that stopped on an error, by the error's code: the one place
 * that decides it. A code added to an error class must be added here (the type says so).
 * Every error exits 1 today, as DESIGN.md's CLI surface has it.
 */
const EXIT_CODE_OF_ERROR: Readonly<Record<ReportedErrorCode, number>> = {
  "cli.usage": EXIT_ERROR,
  "cli.input": EXIT_ERROR,
  "plan.stale": EXIT_ERROR,
  "unsafe-value": EXIT_ERROR,
  "unsupported-change": EXIT_ERROR,
  E_GRAPH_STATE: EXIT_ERROR,
  E_GRAPH_RENDER: EXIT_ERROR,
  unreachable: EXIT_ERROR,
  "auth-failed": EXIT_ERROR,
  "host-key-mismatch": EXIT_ERROR,
  "host-key-unknown": EXIT_ERROR,
  timeout: EXIT_ERROR,
  "spawn-failed": EXIT_ERROR,
  E_VERIFY_TARGET: EXIT_ERROR,
  E_VERIFY_OUTPUT: EXIT_ERROR,
  E_FORMAT_VERSION: EXIT_ERROR,
  E_PLAN_FILE: EXIT_ERROR,
  E_OBSERVATION: EXIT_ERROR,
  E_LAB: EXIT_ERROR,
  NK_COMPILE_DUPLICATE: EXIT_ERROR,
};

/** The exit code for an error a command threw; anything not netplan-k's own (a bug) exits 1. */
export const exitCodeOfError = (error: unknown): number =>
  error instanceof NetplanError
    ? ((EXIT_CODE_OF_ERROR as Readonly<Record<string, number>>)[error.code] ?? EXIT_ERROR)
    : EXIT_ERROR;
