import type { HostState, ObservedHost } from "../model/index.js";
import type { RunResult, Transport } from "../transport/transport.js";
import { ObservationError } from "./observation-error.js";
import { OBSERVATION_SCRIPT } from "./observation-script.js";
import { parseObservation, parseStateObservation } from "./parse-observation.js";

/** The observation script's bound: it runs a few dozen listings. */
export const OBSERVATION_TIMEOUT_MS = 60_000;

/**
 * The observation's output bound, in characters: a host with a thousand workloads and a full
 * routing table prints a few MB (3.8 KB for a lab host, LAB-NOTES.md); anything past this is
 * not a host's state, and reading it all would only exhaust the controller's memory.
 */
export const OBSERVATION_MAX_OUTPUT_CHARS = 32 * 1024 * 1024;

/**
 * One round trip: the observation script goes to the host on stdin of `sh -s`, and everything
 * the planner needs comes back in its output. Transport failures (unreachable, authentication,
 * host key), a run past `timeoutMs` and an output past OBSERVATION_MAX_OUTPUT_CHARS propagate
 * as TransportError; output that cannot be read is an ObservationError naming the host.
 */
export async function observeHost(
  transport: Transport,
  timeoutMs = OBSERVATION_TIMEOUT_MS,
): Promise<ObservedHost> {
  const result = await transport.run(["sh", "-s"], {
    stdin: OBSERVATION_SCRIPT,
    phase: "observe",
    timeoutMs,
    maxOutputChars: OBSERVATION_MAX_OUTPUT_CHARS,
  });
  return parseObservationRun(transport.host, result);
}

/**
 * The observed host from a run of the observation script (with or without a lock section).
 * Throws ObservationError when the script failed or its output cannot be read.
 */
export function parseObservationRun(host: string, result: RunResult): ObservedHost {
  requireObservationSucceeded(host, result);
  return parseObservation(host, result.stdout);
}

/**
 * The host's state from a run of STATE_OBSERVATION (a verification's, with or without a lock
 * section). Throws ObservationError when the script failed or its output cannot be read.
 */
export function parseStateObservationRun(host: string, result: RunResult): HostState {
  requireObservationSucceeded(host, result);
  return parseStateObservation(host, result.stdout);
}

function requireObservationSucceeded(host: string, result: RunResult): void {
  if (result.exitCode !== 0) {
    throw new ObservationError(
      `${host}: the observation script failed (exit ${result.exitCode}): ${result.stderr.trim() || "no message"}`,
      { host },
    );
  }
}
