import type { HostLeft } from "../applier/apply-run-event.js";
import { describeLockOwner, type LockOwner } from "../applier/host-lock-script.js";
import { describeClockTime } from "../model/index.js";

/** The words of an interrupted run and of a broken lock, shared by the text and JSON views. */

/** Printed as soon as SIGINT or SIGTERM arrives. */
export const INTERRUPTING =
  "Interrupt received (Ctrl-C or SIGTERM): finishing the scripts already sent; no new phase " +
  "starts. A second interrupt exits at once.";

/**
 * "its armed revert fires at 07:12:05 UTC (in 42 s) and restores the state before this run;
 * netplan-k disarm topology.yaml --limit node-1 keeps the change": a host an interrupted run
 * left armed (`nowMs`: the controller's clock now).
 */
export function describeArmedRevertLeft(
  revert: NonNullable<HostLeft["armedRevert"]>,
  nowMs: number = Date.now(),
): string {
  const seconds = Math.max(0, Math.round((revert.firesAtMs - nowMs) / 1000));
  return (
    `its armed revert fires at ${describeClockTime(revert.firesAtMs / 1000)} (in ${seconds} s) ` +
    `and restores the state before this run; ${revert.disarm} keeps the change`
  );
}

/**
 * "node-1: built (12 changes ran); any removals and the verification did not run", and what
 * its armed revert will do when this run armed one and did not confirm it.
 */
export function describeHostLeft(left: HostLeft, nowMs: number = Date.now()): string {
  const state = describeHostState(left);
  return left.armedRevert === undefined
    ? state
    : `${state}; ${describeArmedRevertLeft(left.armedRevert, nowMs)}`;
}

function describeHostState(left: HostLeft): string {
  const ran = `${left.applied} ${left.applied === 1 ? "change" : "changes"} ran`;
  switch (left.state) {
    case "unchanged":
      return `${left.host}: unchanged (nothing was sent to it)`;
    case "built":
      return `${left.host}: built (${ran}); any removals and the verification did not run`;
    case "removed":
      return `${left.host}: every change ran (${ran}); not verified`;
    case "converged":
      return `${left.host}: converged (${ran}, verified)`;
    case "failed":
      return `${left.host}: ${left.failure === undefined || left.failure === "" ? "" : `failed (${ran}): ${left.failure}; `}${
        left.rollback === undefined
          ? "not rolled back"
          : left.rollback.state === "rolled-back"
            ? "rolled back to its state before this run (proven by a new observation)"
            : left.rollback.state === "kept"
              ? "kept as it failed (--on-failure keep)"
              : "rollback incomplete"
      }`;
  }
}

/** "broke a stale lock: alice@laptop (pid 4242) since …, run 3f2a91c0 (apply)". */
export const describeBrokenLock = (owner: LockOwner): string =>
  `broke a stale lock of ${describeLockOwner(owner)}, run ${owner.run} (${owner.verb}): ` +
  `its run is gone`;
