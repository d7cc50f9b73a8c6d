import { NetplanError, type ObservedHost } from "../model/index.js";
import {
  OBSERVATION,
  OBSERVATION_MAX_OUTPUT_CHARS,
  OBSERVATION_TIMEOUT_MS,
  parseObservationRun,
} from "../observe/index.js";
import {
  describeOwnedDifferences,
  ownedHostState,
  planRollback,
  type OwnerScope,
} from "../planner/rollback-target.js";
import type { Transport } from "../transport/index.js";
import type { ConvergeEvent } from "./converge-result.js";
import { hostFailure, hostFailureOf } from "./host-error.js";
import { lockLostError, observeAndLock } from "./host-lock.js";
import { lockSection, type LockOwner } from "./host-lock-script.js";
import { renderRemoteScript } from "../remote/index.js";
import { runChanges } from "./run-changes.js";

/**
 * Puts one host back to the owned state observed before a failed apply (issue 11, point 2;
 * what "exact" covers and what cannot come back: src/planner/rollback-target.ts). Computed,
 * never hand-written, in up to three round trips, all on failure only:
 *
 *   1. observe the host afresh, renewing the run's lock (or taking it again when the host's
 *      verification released it: a gap of the controller's diff, in which another run could
 *      take it; the rollback then refuses that host and says so);
 *   2. run the changes from that observation to the pre-apply owned state (planRollback) as one
 *      script, like any phase of an apply; skipped when nothing differs;
 *   3. observe again, releasing the lock as the script exits, and prove the owned state's
 *      fingerprint equals the pre-apply one; skipped with step 2 (step 1 proved it then).
 */

/** What a rollback did on a host; `problems` is empty when it is proven and its script ran clean. */
export interface RollbackResult {
  readonly host: string;
  /**
   * Proven: the owned state equals the pre-apply one. A rollback script that failed is in
   * `problems` even then, so a report never says "rolled back" without saying so.
   */
  readonly rolledBack: boolean;
  /** Changes the rollback script carried out. */
  readonly changes: number;
  /** Round trips it took (1 to 3). */
  readonly roundTrips: number;
  /**
   * Why it is not proven (code apply.rollback-incomplete, or the failure of a round trip), each
   * message starting with the host's name.
   */
  readonly problems: readonly NetplanError[];
  /** Whether the run's lock on the host was released by the last round trip. */
  readonly released: boolean;
}

export interface RollbackHostInput {
  readonly transport: Transport;
  readonly owner: OwnerScope;
  /** The observation made before the apply changed anything. */
  readonly before: ObservedHost;
  /** The run holding the host's lock, and whether it still holds it (the verification releases it). */
  readonly lock?: { readonly owner: LockOwner; readonly held: boolean };
  readonly emit: (event: ConvergeEvent) => void;
}

async function observeWithLock(
  transport: Transport,
  lock: NonNullable<RollbackHostInput["lock"]> | undefined,
  action: "renew" | "release",
): Promise<ObservedHost> {
  if (lock !== undefined && action === "renew" && !lock.held) {
    return (await observeAndLock(transport, lock.owner, 0)).observed;
  }
  const stdin = renderRemoteScript({
    ...OBSERVATION,
    ...(lock !== undefined && {
      lock: lockSection(lock.owner, { kind: action === "renew" ? "check" : "release" }),
    }),
  });
  const result = await transport.run(["sh", "-s"], {
    stdin,
    phase: `rollback: observe (${action} lock)`,
    timeoutMs: OBSERVATION_TIMEOUT_MS,
    maxOutputChars: OBSERVATION_MAX_OUTPUT_CHARS,
  });
  const lost = lockLostError(transport.host, OBSERVATION, result.exitCode, result.stdout);
  if (lost !== undefined) throw lost;
  return parseObservationRun(transport.host, result);
}

const incomplete = (host: string, differences: readonly string[]): NetplanError =>
  hostFailure(
    host,
    "apply.rollback-incomplete",
    `${host}: rollback incomplete: the owned state still differs from the one before the apply: ` +
      differences.join("; "),
  );

/** The rollback script's own failure, said as the rollback's (its code kept). */
const scriptFailed = (host: string, error: NetplanError): NetplanError =>
  new NetplanError(
    error.code,
    `${host}: the rollback script failed: ${error.message.replace(`${host}: `, "")}`,
    { host },
  );

/** Rolls `input.before`'s host back (see above). Never throws: a failure is in the result. */
export async function rollbackHost(input: RollbackHostInput): Promise<RollbackResult> {
  const { transport, owner, before, lock, emit } = input;
  const host = transport.host;
  let roundTrips = 0;
  let changes = 0;
  const result = (
    problems: NetplanError[],
    released: boolean,
    proven = problems.length === 0,
  ): RollbackResult => ({
    host,
    rolledBack: proven,
    changes,
    roundTrips,
    problems,
    released,
  });
  try {
    roundTrips++;
    const observed = await observeWithLock(transport, lock, "renew");
    const rollback = planRollback(owner, before.state, observed.state);
    if (rollback.changes.length === 0) {
      const differences = describeOwnedDifferences(owner, before.state, observed.state);
      return result(differences.length === 0 ? [] : [incomplete(host, differences)], false);
    }
    roundTrips++;
    const ran = await runChanges(
      transport,
      "rollback",
      rollback.changes,
      ownedHostState(owner, before.state).services,
      emit,
      lock?.owner,
    );
    changes = ran.applied.length;
    roundTrips++;
    const after = await observeWithLock(transport, lock, "release");
    const differences = describeOwnedDifferences(owner, before.state, after.state);
    // The proof decides whether the host is back; a failed script is said either way.
    const proven = differences.length === 0;
    const problems = [
      ...(ran.error === undefined ? [] : [scriptFailed(host, ran.error)]),
      ...(proven ? [] : [incomplete(host, differences)]),
    ];
    return result(problems, lock !== undefined, proven);
  } catch (error) {
    return result([unreachable(host, hostFailureOf(host, error), changes)], false);
  }
}

/**
 * A rollback cut by its host's failure to answer (an underlay cut, the host down): which host,
 * what stays, and why, in one message that keeps the failure's code (apply.rollback-incomplete
 * when the rollback script had run, the transport's otherwise).
 */
const unreachable = (host: string, failure: NetplanError, changes: number): NetplanError =>
  new NetplanError(
    failure.code,
    `${host}: rollback incomplete: ${
      changes === 0 ? "nothing was rolled back" : `${changes} changes were undone, not proven`
    }; what this run changed there stays until the host answers again (${failure.message.replace(
      `${host}: `,
      "",
    )}); run apply again then`,
    { host },
  );
