import type { BgpPeerChanges } from "../modes/bgp-peer-changes.js";
import type { Plan } from "../planner/plan.js";
import type { ConvergeEvent, ConvergeResult, RollbackReport } from "./converge-result.js";
import type { LockOwner } from "./host-lock-script.js";

/** Where an interrupted run left a host, for the person who interrupted it. */
export interface HostLeft {
  readonly host: string;
  /**
   * unchanged: nothing was sent to it; built: its creates and updates ran, its removals did
   * not (old objects still there); removed: everything ran but the verification; converged:
   * everything ran and its verification found nothing left to do; failed: a script or its
   * verification failed (`failure` says how).
   */
  readonly state: "unchanged" | "built" | "removed" | "converged" | "failed";
  /** Changes that ran on it. */
  readonly applied: number;
  /** With "failed": its errors' messages, one a line (the command, the kernel's answer). */
  readonly failure?: string;
  /** With "failed": how the rollback left it (kept, when --on-failure keep). */
  readonly rollback?: RollbackReport;
  /**
   * The confirm-timeout revert this run armed on it and did not confirm: it fires at
   * `firesAtMs` (ms since the epoch, the controller's clock) and restores the state before this
   * run, unless `disarm` (the command, with the topology file and the host) keeps the change.
   */
  readonly armedRevert?: { readonly firesAtMs: number; readonly disarm: string };
}

/** A stage of the pipeline that contacts hosts, as the "phase" event names it. */
export type PipelinePhase = "observe" | "build" | "wait" | "remove" | "verify" | "rollback";

/** Why a run ends without applying anything. */
export type StopReason =
  "no-changes" | "already-applied" | "not-applicable" | "stale" | "cancelled";

/**
 * What happens during an apply or a destroy, in order, as runApplyPipeline reports it. Every
 * way of showing a run (the text and live lines for a person, JSON lines for a pipeline) is
 * one consumer of this one stream (src/cli/converge-view.ts).
 */
export type ConvergeRunEvent =
  | {
      readonly kind: "started";
      readonly verb: "apply" | "destroy";
      readonly topology: string;
      readonly hosts: readonly string[];
    }
  /**
   * A stage that contacts hosts begins (`hosts`: those it may contact): how a person, or a
   * test that interrupts a run at a chosen point, knows where the run stands.
   */
  | { readonly kind: "phase"; readonly phase: PipelinePhase; readonly hosts: readonly string[] }
  /** A lock left by a killed run was broken before this run took the host's lock. */
  | { readonly kind: "lock-broken"; readonly host: string; readonly owner: LockOwner }
  /**
   * An interruption (SIGINT, SIGTERM) was received: no new step starts, the scripts already
   * sent finish.
   */
  | { readonly kind: "interrupting" }
  /** The run stopped at a safe point after an interruption; where each host was left. */
  | { readonly kind: "interrupted"; readonly hosts: readonly HostLeft[] }
  /** A host could not be observed (unreachable, authentication, host key, ...). */
  | { readonly kind: "unobserved"; readonly host: string; readonly message: string }
  /**
   * The plan to apply. The caller that renders it may add the BGP sessions it opens and closes
   * per host (src/modes/bgp-peer-changes.ts): the applier itself reads no BIRD configuration.
   */
  | { readonly kind: "planned"; readonly plan: Plan; readonly bgpPeers?: BgpPeerChanges }
  /** A saved plan is refused on this host: it changed since the plan was made, or is unreachable. */
  | { readonly kind: "stale"; readonly host: string; readonly message: string }
  /** The changing hosts' apply begins (only after the plan was approved). */
  | { readonly kind: "applying"; readonly hosts: readonly string[] }
  /**
   * A confirm-timeout revert (confirm-timeout.ts): armed on the host, confirmed (disarmed over
   * a new connection), left armed (the host reverts by itself), or fired before the
   * confirmation; fired-earlier: the observation found that the revert of an earlier run fired
   * (the message says when, and whether it restored the host: model/armed-revert.ts
   * describeRevertFired), said by the first run after it.
   */
  | {
      readonly kind: "revert";
      readonly host: string;
      readonly state: "armed" | "confirmed" | "left-armed" | "fired" | "fired-earlier";
      readonly message: string;
    }
  /** One host's progress, as the applier reports it. */
  | { readonly kind: "host"; readonly event: ConvergeEvent }
  /**
   * After a failure (ApplyPipelineInput.onFailure), how a host was left: rolled back and
   * proven equal to its pre-apply owned state, rollback incomplete (`problems` says what still
   * differs or what failed), or kept as it failed. `cause` failed: this host failed, `failure`
   * (its failures' messages, one a line: the command, the kernel's answer) and `code` (the
   * first failure's) say how; another-host-failed: rolled back with --on-failure rollback-all.
   */
  | {
      readonly kind: "rollback";
      readonly host: string;
      readonly cause: "failed" | "another-host-failed";
      readonly failure?: string;
      readonly code?: string;
      readonly state: "rolled-back" | "kept" | "incomplete";
      /** Changes the rollback script carried out. */
      readonly changes: number;
      /** Round trips the rollback took: up to 3 (observe, rollback script, observe to prove). */
      readonly roundTrips: number;
      readonly problems: readonly string[];
    }
  /** Every changing host is done: converged or failed. */
  | { readonly kind: "applied"; readonly results: readonly ConvergeResult[] }
  /** The run ends without applying anything, and why. */
  | { readonly kind: "stopped"; readonly reason: StopReason };
