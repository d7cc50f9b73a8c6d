import type { NetplanError, ObservedHost } from "../model/index.js";
import type { Change, HostPlan } from "../planner/plan.js";

/** The two scripts a changing host runs (plan-phases.ts). */
export type ApplyPhase = "build" | "removals";

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
  | { readonly kind: "verified"; readonly host: string; readonly converged: boolean };

export type ConvergeOutcome =
  /** Nothing to do: one round trip (the caller's observation). */
  | "unchanged"
  /** Applied and verified. */
  | "converged"
  /** Not touched: the plan of this host has conflicts or errors. */
  | "refused"
  /** Unreachable, a failed command, BGP not up in time, or still different after apply. */
  | "failed";

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
   * each phase that has changes (3 or 4), plus the BGP polls.
   */
  readonly roundTrips: number;
  /**
   * Why the host was refused or failed: values with a code to decide on, each message
   * starting with the host's name.
   */
  readonly errors: readonly NetplanError[];
}
