import type { HostState, NetplanError } from "../model/index.js";
import {
  OBSERVATION_MAX_OUTPUT_CHARS,
  OBSERVATION_TIMEOUT_MS,
  parseStateObservationRun,
  STATE_OBSERVATION,
} from "../observe/index.js";
import { diffHost } from "../planner/index.js";
import type { RunResult, Transport } from "../transport/index.js";
import { describeDrift, describeLeftConflict } from "./describe-drift.js";
import { hostFailure, hostFailureOf } from "./host-error.js";
import { lockSection, type LockOwner } from "./host-lock-script.js";
import { renderRemoteScript } from "../remote/index.js";

/** What a verification compares the host with. */
export interface VerifyTarget {
  readonly topology: string;
  readonly clusterCidr: string;
  readonly clusterCidrV6?: string;
  readonly desired: HostState;
}

/**
 * The verification's script: the observation of the host's state (STATE_OBSERVATION: no
 * facts, which the diff does not read), and with `lock` the release of the run's lock after
 * its own sections (the last script of a run on a host).
 */
export const verificationScript = (lock?: LockOwner): string =>
  renderRemoteScript(
    lock === undefined
      ? STATE_OBSERVATION
      : { ...STATE_OBSERVATION, lock: lockSection(lock, { kind: "release" }) },
  );

/**
 * Observes the host again (one round trip) and diffs it against the desired state: what still
 * differs, one failure each (code apply.drift, the message starting with the host's name);
 * none when it converged. `lock`: the run holding the host's lock, which this last script of
 * the run releases after its own sections.
 */
export async function verifyHost(
  transport: Transport,
  target: VerifyTarget,
  lock?: LockOwner,
): Promise<NetplanError[]> {
  try {
    const result = await transport.run(["sh", "-s"], {
      stdin: verificationScript(lock),
      phase: "verify",
      timeoutMs: OBSERVATION_TIMEOUT_MS,
      maxOutputChars: OBSERVATION_MAX_OUTPUT_CHARS,
    });
    return judgeVerification(transport.host, result, target);
  } catch (error) {
    return [hostFailureOf(transport.host, error)];
  }
}

/**
 * The drift of a verification's run, taken in its own round trip (verifyHost) or at the end
 * of a build script (run-changes.ts): as verifyHost says. A stale path-MTU exception is not
 * drift here: while a run raises MTUs host by host, a workload of a host built first can
 * learn the smaller MTU of a peer not built yet, from its own traffic, after its own flush.
 * That is the kernel's answer to the run's middle, not a change that failed, and rolling the
 * host back for it would be wrong; the next plan shows it and its apply flushes it. Never
 * throws: an observation that cannot be read is the host's one failure.
 */
export function judgeVerification(
  host: string,
  result: RunResult,
  target: VerifyTarget,
): NetplanError[] {
  try {
    const drift = diffHost({ ...target, observed: parseStateObservationRun(host, result) });
    return [
      ...drift.changes
        .filter((change) => change.kind !== "pathMtu")
        .map((change) => describeDrift(host, change)),
      ...drift.conflicts.map((conflict) => describeLeftConflict(host, conflict)),
    ].map((message) => hostFailure(host, "apply.drift", message));
  } catch (error) {
    return [hostFailureOf(host, error)];
  }
}
