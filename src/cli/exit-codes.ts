import type { ApplierErrorCode } from "../applier/applier-error.js";
import type { HostFailureCode } from "../applier/host-error.js";
import type { GraphErrorCode } from "../graph/graph-error.js";
import { NetplanError } from "../model/netplan-error.js";
import type { DiagnosticCode } from "../topology/diagnostic.js";
import type { TransportErrorCode } from "../transport/transport-error.js";
import type { VerifyErrorCode } from "../verify/verify-error.js";
import type { CliErrorCode } from "./cli-error.js";

/** Exit codes, as Terraform's `-detailed-exitcode` has them. */
export const EXIT_OK = 0;
/** An error: invalid topology, a conflict in the plan, a host that cannot be planned. */
export const EXIT_ERROR = 1;
/** With --detailed-exitcode: the plan has changes. */
export const EXIT_CHANGES = 2;
/** An apply or destroy stopped by SIGINT (Ctrl-C): what a shell reports, 128 + SIGINT (2). */
export const EXIT_SIGINT = 130;
/** An apply or destroy stopped by SIGTERM: what a shell reports, 128 + SIGTERM (15). */
export const EXIT_SIGTERM = 143;
/**
 * What a shell reports for a tool whose reader went away (`yes | head -1`): 128 + SIGPIPE (13).
 */
export const EXIT_CLOSED_PIPE = 141;

/**
 * Every error code netplan-k reports: a NetplanError's (thrown, or a host's failure in an
 * apply), a topology diagnostic's, and the CLI's own. One style: "<area>.<kind-in-kebab>".
 */
export type ReportedErrorCode =
  | CliErrorCode
  | DiagnosticCode
  | HostFailureCode
  | ApplierErrorCode
  | GraphErrorCode
  | TransportErrorCode
  | VerifyErrorCode
  | "file.unsupported-format"
  | "plan.invalid-file"
  | "observe.unreadable"
  | "remote.unreadable-output"
  | "lab.failed"
  | "lab.not-built"
  | "compile.duplicate-object"
  | "internal.bug";

/** What a code means and the exit status of a command that stops on it. */
export interface ErrorCodeEntry {
  readonly exit: number;
  /** For docs/errors.md, which a test renders from this table. */
  readonly meaning: string;
}

/**
 * Every code, its exit status and its meaning: the one place that decides the exit status
 * (a code added to an error class must be added here; the type says so) and the source of
 * docs/errors.md. Every error exits 1 today, as DESIGN.md's CLI surface has it.
 */
export const ERROR_CODES: Readonly<Record<ReportedErrorCode, ErrorCodeEntry>> = {
  "topology.unreadable": {
    exit: EXIT_ERROR,
    meaning: "The topology file cannot be read (missing, a directory, no permission).",
  },
  "topology.syntax": {
    exit: EXIT_ERROR,
    meaning: "The YAML does not parse. Only syntax errors are reported then.",
  },
  "topology.schema": {
    exit: EXIT_ERROR,
    meaning:
      "The shape breaks `schemas/topology.schema.json` (unknown or missing field, wrong type, value out of range), or a value is not a valid address or CIDR.",
  },
  "topology.semantic": {
    exit: EXIT_ERROR,
    meaning:
      "The meaning is wrong: overlapping blocks, duplicate names or addresses, a mode across segments, …",
  },
  "cli.usage": {
    exit: EXIT_ERROR,
    meaning: "Options that cannot go together, or a value the command cannot use.",
  },
  "cli.input": {
    exit: EXIT_ERROR,
    meaning: "A file named on the command line (a snapshot, a saved plan) cannot be read.",
  },
  "file.unsupported-format": {
    exit: EXIT_ERROR,
    meaning:
      "A snapshot or saved plan is not a JSON object, or its `formatVersion` is missing, older or newer than this netplan-k reads.",
  },
  "plan.invalid-file": {
    exit: EXIT_ERROR,
    meaning: "A saved plan (`apply plan.json`) is not a plan netplan-k wrote.",
  },
  "plan.stale": {
    exit: EXIT_ERROR,
    meaning:
      "A saved plan no longer matches: its topology file or a host changed since it was made.",
  },
  "plan.refused": {
    exit: EXIT_ERROR,
    meaning: "A host's plan has errors or conflicts, so apply did not touch it.",
  },
  "compile.duplicate-object": {
    exit: EXIT_ERROR,
    meaning: "The compiler made two objects with one kernel identity on a host (a bug).",
  },
  "observe.unreadable": {
    exit: EXIT_ERROR,
    meaning:
      "A host's observation or a snapshot cannot be read: malformed `ip -j` JSON, a failed listing, a truncated output, iproute2 too old.",
  },
  "remote.unreadable-output": {
    exit: EXIT_ERROR,
    meaning:
      "A script's output on a host is not in netplan-k's framing: no begin line, another format version, cut short.",
  },
  "apply.unsafe-value": {
    exit: EXIT_ERROR,
    meaning: "A value that cannot be placed safely in a command line; nothing is sent.",
  },
  "apply.unsupported-change": {
    exit: EXIT_ERROR,
    meaning: "A change the applier has no command for.",
  },
  "apply.step-failed": {
    exit: EXIT_ERROR,
    meaning: "A step of a host's apply script failed, or the script stopped early.",
  },
  "apply.bgp-timeout": {
    exit: EXIT_ERROR,
    meaning: "BGP did not converge in time on a host; its old routes were kept.",
  },
  "apply.drift": {
    exit: EXIT_ERROR,
    meaning: "A host still differs from the desired state after apply.",
  },
  "apply.rollback-incomplete": {
    exit: EXIT_ERROR,
    meaning:
      "After a host failed, its rollback could not prove the host holds the owned objects it held before the apply; the message lists what still differs. Plan again and look at the host.",
  },
  "apply.revert-armed": {
    exit: EXIT_ERROR,
    meaning:
      "A confirm-timeout revert armed by another run (or left by a killed one) is on a host; the host is refused until it fires or `netplan-k disarm` disarms it.",
  },
  "apply.revert-failed": {
    exit: EXIT_ERROR,
    meaning:
      "The script that arms or disarms a confirm-timeout revert failed on a host; a host whose revert could not be armed is not changed.",
  },
  "apply.revert-fired": {
    exit: EXIT_ERROR,
    meaning:
      "A host's confirm-timeout revert fired before the run confirmed it: the host is back to what it held before the run. Apply again with a longer --confirm-timeout.",
  },
  "transport.unreachable": {
    exit: EXIT_ERROR,
    meaning: "A host cannot be reached (no route, refused, no such namespace).",
  },
  "transport.auth-failed": {
    exit: EXIT_ERROR,
    meaning: "ssh or sudo refused the credentials.",
  },
  "transport.host-key-mismatch": {
    exit: EXIT_ERROR,
    meaning: "The host's ssh key differs from the known one; never retried.",
  },
  "transport.host-key-unknown": {
    exit: EXIT_ERROR,
    meaning: "The host's ssh key is not known yet.",
  },
  "transport.timeout": {
    exit: EXIT_ERROR,
    meaning: "A command on a host ran past its time limit and was stopped.",
  },
  "transport.output-too-large": {
    exit: EXIT_ERROR,
    meaning: "A command on a host printed more than netplan-k reads from it, and was stopped.",
  },
  "transport.spawn-failed": {
    exit: EXIT_ERROR,
    meaning: "A local program (ssh, ip, nsenter) could not be started.",
  },
  "verify.unsafe-target": {
    exit: EXIT_ERROR,
    meaning: "A name or address unfit to place in a verify script (a bug).",
  },
  "verify.unreadable-output": {
    exit: EXIT_ERROR,
    meaning: "A host's answer to verify cannot be read (truncated, foreign, mismatched).",
  },
  "graph.incomplete-state": {
    exit: EXIT_ERROR,
    meaning: "The compiled state does not say how a host reaches a peer's block (a bug).",
  },
  "graph.render-failed": {
    exit: EXIT_ERROR,
    meaning: "Graphviz refused the dot text it was given (a bug).",
  },
  "lab.failed": {
    exit: EXIT_ERROR,
    meaning: "A lab cannot be built, inspected or removed.",
  },
  "lab.not-built": {
    exit: EXIT_ERROR,
    meaning: "`verify` of a lab topology whose lab hosts are not built: `netplan-k lab up` first.",
  },
  "internal.bug": {
    exit: EXIT_ERROR,
    meaning: "A bug: run again with `--debug` and report it.",
  },
};

/** The exit code for an error a command threw; anything not netplan-k's own (a bug) exits 1. */
export const exitCodeOfError = (error: unknown): number =>
  error instanceof NetplanError
    ? ((ERROR_CODES as Readonly<Record<string, ErrorCodeEntry>>)[error.code]?.exit ?? EXIT_ERROR)
    : EXIT_ERROR;
