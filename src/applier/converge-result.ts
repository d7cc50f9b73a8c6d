import type { NetplanError, ObservedHost } from "../model/index.js";
import type { Change, HostPlan } from "../planner/plan.js";

/**
 * The two scripts a changing host runs (plan-phases.ts), and the script that puts a failed
 * host back (rollback-host.ts).
 */
export type ApplyPhase = "build" | "removals" | "rollback";

export type ConvergeEvent =
  | {
      readonly kind: "applying";
      readonly host: string;
      readonly phase: ApplyPhase;
      readonly steps: number;
    }
  /** One per step the script started, with the command it ran (after the round trip). */
  | {
      readonly kind: "step";
      readonly host: string;
      readonly phase: ApplyPhase;
      readonly step: number;
      readonly steps: number;
      readonly command: string;
      readonly ok: boolean;
    }
  /** One per BGP poll while apply waits for sessions before removing anything. */
  | { readonly kind: "bgp"; readonly host: string; readonly ok: boolean; readonly problem: string }
  | { readonly kind: "verified"; readonly host: string; readonly converged: boolean }
  /**
   * The remove phase sent this host nothing: another host of the run failed before it
   * (HeldRemovals; `message` is describeHeldRemovals's).
   */
  | {
      readonly kind: "held";
      readonly host: string;
      readonly held: HeldRemovals;
      readonly message: string;
    };

export type ConvergeOutcome =
  /** Nothing to do: one round trip (the caller's observation). */
  | "unchanged"
  /** Applied and verified. */
  | "converged"
  /** Not touched: the plan of this host has conflicts or errors. */
  | "refused"
  /** Unreachable, a failed command, BGP not up in time, or still different after apply. */
  | "failed"
  /**
   * Built, its removals held (`held` says why): another host of the run failed before the
   * remove phase, and that host's old paths may still use what these removals would delete.
   * Old and new objects are both in place (make-before-break's middle), neither removed nor
   * verified: not converged, not failed (so not rolled back unless --on-failure rollback-all).
   */
  | "held"
  /**
   * Applied (and verified, if it got that far), then put back to its pre-apply state because
   * another host failed (--on-failure rollback-all): its `rollback` says how that went.
   */
  | "rolled-back";

export interface ConvergeResult {
  readonly host: string;
  readonly outcome: ConvergeOutcome;
  /** What the host held before anything changed (the base of a rollback), when given. */
  readonly observed?: ObservedHost;
  /** The plan applied, or that would have been. */
  readonly plan: HostPlan;
  /** The changes carried out: all of the plan on success, those of completed steps on failure. */
  readonly applied: readonly Change[];
  /**
   * Counting the caller's observation: 1 unchanged; else observe, build, removals and verify,
   * each phase that has changes (3 or 4), plus the BGP polls; held: observe and build (2; the
   * release of its lock, one more, is the pipeline's and not counted, as for a failed host).
   */
  readonly roundTrips: number;
  /**
   * Why the host was refused or failed: values with a code to decide on, each message
   * starting with the host's name.
   */
  readonly errors: readonly NetplanError[];
  /**
   * What happened after a failure (--on-failure): the host was rolled back (proven, or not:
   * then `errors` holds apply.rollback-incomplete) or kept as it failed. Absent on a host that
   * neither failed nor was rolled back with another.
   */
  readonly rollback?: RollbackReport;
  /** With outcome "held" (or "rolled-back" after it, with rollback-all): why its removals did not run. */
  readonly held?: HeldRemovals;
}

/**
 * Why a built host's removals did not run: `failed`, the hosts of the run that had failed
 * (build, BGP wait, or arming a revert) when the remove phase started. A host rolled back to
 * its old layout (rollback-host) still sends to its peers' old objects, e.g. a vxlan host
 * encapsulates to their flannel.1, so no host removes anything in that run.
 */
export interface HeldRemovals {
  /** The changes of the host's removals script that did not run. */
  readonly removals: number;
  readonly failed: readonly string[];
}

/** How a host was left after a failure of this run (the "rollback" event says the same). */
export interface RollbackReport {
  /** rolled-back: proven equal to the pre-apply owned state; kept: --on-failure keep. */
  readonly state: "rolled-back" | "kept" | "incomplete";
  /** Changes the rollback script carried out (0 when kept). */
  readonly changes: number;
  /** Round trips the rollback took (0 when kept): on failure only. */
  readonly roundTrips: number;
  /**
   * With kept: how far the host's plan got before it failed, so the report can say what the
   * host was left holding (`ran` of `planned` changes: those of the steps that completed; the
   * failing step's lines before its failing line ran too, and are not counted).
   */
  readonly kept?: { readonly ran: number; readonly planned: number };
}
