import type { BgpExpectation, HostState, NetplanError, ObservedHost } from "../model/index.js";
import type { Change, HostPlan } from "../planner/plan.js";
import type { Transport } from "../transport/index.js";
import pLimit from "p-limit";
import type {
  ConvergeEvent,
  ConvergeOutcome,
  ConvergeResult,
  HeldRemovals,
} from "./converge-result.js";
import { describeHeldRemovals } from "./held-removals.js";
import { hostFailure, hostFailureOf } from "./host-error.js";
import type { LockOwner } from "./host-lock-script.js";
import { splitPlanPhases } from "./plan-phases.js";
import { runChanges } from "./run-changes.js";
import {
  judgeVerification,
  verificationScript,
  verifyHost,
  type VerifyTarget,
} from "./verify-host.js";
import { waitForBgp } from "./wait-for-bgp.js";

/**
 * Apply make-before-break across hosts. Each host's plan is cut in two (plan-phases.ts), and
 * every phase runs on every changing host before the next one starts anywhere (PHASES):
 *
 *   build: every host creates and updates (new VTEPs, routes replaced, BIRD started);
 *   wait: every host with a BGP expectation (compiled: HostWaits) waits until its sessions
 *      are Established and its peers' blocks learned, so static routes go only once BIRD's
 *      are there;
 *   remove: the deletes, once every host built (and waited). Only now may a VTEP go: a peer
 *      still encapsulating to it has replaced its route in the build. When any host of the
 *      run has failed by then, no host removes anything (removeOrHold): the failed host keeps
 *      (or is rolled back to) its old paths, which may still use its peers' old objects (a
 *      vxlan host encapsulates to their flannel.1), so each host that was to remove stays
 *      built, both layouts in place, with the outcome "held"; nothing half removed;
 *   verify: observe again; the diff against the desired state must be empty. A held host is
 *      not verified (its removals are still to do: it would only show them as drift). A host whose
 *      plan removes nothing and waits for nothing is verified by its build script instead,
 *      which observes the host once its last step is done (its state cannot change after
 *      that within this run: no removal, no wait), in the same round trip.
 *
 * One script per phase per host: with the caller's observation, 2 round trips for a plan
 * that only builds, 3 for one that only deletes or waits for BGP, 4 for one that creates and
 * deletes, plus the BGP polls; a held host 2 here (its lock is released by the caller, one
 * round trip more: 3). Hosts with nothing to do are not contacted. A host's failure is its
 * result, never a throw.
 */

export interface PhasedHost {
  readonly transport: Transport;
  readonly desired: HostState;
  /** Made by the caller from the observation it just did (and showed, and had confirmed). */
  readonly plan: HostPlan;
  /** That observation, kept in the result (the base of a rollback). */
  readonly observed?: ObservedHost;
  /** What BGP must show on this host once built (compiled: HostWaits.bgp); absent, no wait. */
  readonly bgp?: BgpExpectation;
}

export interface PhasedApplyInput {
  readonly topology: string;
  readonly clusterCidr: string;
  /** The cluster's IPv6 range, when it is dual-stack. */
  readonly clusterCidrV6?: string;
  readonly hosts: readonly PhasedHost[];
  /** Hosts contacted at once, in every phase. */
  readonly parallelism: number;
  readonly onEvent?: (event: ConvergeEvent) => void;
  /** Bound on the wait, default 30 000. */
  readonly bgpTimeoutMs?: number;
  /** Default 500. */
  readonly bgpPollIntervalMs?: number;
  /**
   * The run that holds every host's lock (taken by the caller's observation): each script
   * checks it first, and the verification releases it (host-lock-script.ts). A host that is
   * not verified (failed, held) keeps it: the caller releases it.
   */
  readonly lock?: LockOwner;
}

const DEFAULT_BGP_TIMEOUT_MS = 30_000;

/** Where a host stands between phases. */
interface HostRun {
  readonly input: PhasedHost;
  readonly host: string;
  readonly build: readonly Change[];
  readonly removals: readonly Change[];
  applied: readonly Change[];
  roundTrips: number;
  errors: NetplanError[];
  /**
   * Its last script, the verification, ran (its own round trip, or the end of its build
   * script: verifiedByBuild) and released the lock the run holds.
   */
  verified: boolean;
  /** Its removals did not run because another host had failed (see the remove phase). */
  held?: HeldRemovals;
}

/** Every host of one phased apply: those that change, and the results of those that do not. */
export interface PhasedRun {
  readonly input: PhasedApplyInput;
  readonly changing: readonly HostRun[];
  readonly settled: ReadonlyMap<string, ConvergeResult>;
}

/** One phase across every changing host (PHASES). */
export type Phase = (run: PhasedRun) => Promise<void>;

const isHealthy = (run: HostRun): boolean => run.errors.length === 0;

const emitterOf = (input: PhasedApplyInput): ((event: ConvergeEvent) => void) =>
  input.onEvent ?? (() => undefined);

const eachHost = async (
  run: PhasedRun,
  hosts: readonly HostRun[],
  work: (host: HostRun) => Promise<void>,
): Promise<void> => {
  await pLimit(run.input.parallelism).map(hosts, work);
};

const planProblems = (host: string, plan: HostPlan): NetplanError[] =>
  [...plan.errors, ...plan.conflicts.map((conflict) => `${host}: ${conflict.reason}`)].map(
    (message) => hostFailure(host, "plan.refused", message),
  );

function resultOf(phased: PhasedHost, outcome: ConvergeOutcome, run?: HostRun): ConvergeResult {
  const host = phased.transport.host;
  return {
    host,
    outcome,
    ...(phased.observed !== undefined && { observed: phased.observed }),
    plan: phased.plan,
    applied: run?.applied ?? [],
    roundTrips: run?.roundTrips ?? 1,
    errors: run?.errors ?? (outcome === "refused" ? planProblems(host, phased.plan) : []),
    ...(run?.held !== undefined && { held: run.held }),
  };
}

/** Sorts the hosts: refused (their plan has problems), unchanged, or changing. Contacts none. */
export function startPhasedRun(input: PhasedApplyInput): PhasedRun {
  const settled = new Map<string, ConvergeResult>();
  const changing: HostRun[] = [];
  for (const phased of input.hosts) {
    const host = phased.transport.host;
    if (planProblems(host, phased.plan).length > 0) {
      settled.set(host, resultOf(phased, "refused"));
    } else if (phased.plan.changes.length === 0) {
      settled.set(host, resultOf(phased, "unchanged"));
    } else {
      changing.push({
        input: phased,
        host,
        ...splitPlanPhases(phased.plan.changes),
        applied: [],
        roundTrips: 1,
        errors: [],
        verified: false,
      });
    }
  }
  return { input, changing, settled };
}

/** What a host's verification compares it with. */
const verifyTargetOf = (run: PhasedRun, host: HostRun): VerifyTarget => ({
  topology: run.input.topology,
  clusterCidr: run.input.clusterCidr,
  ...(run.input.clusterCidrV6 !== undefined && { clusterCidrV6: run.input.clusterCidrV6 }),
  desired: host.input.desired,
});

/** A host verified by its build script: nothing of its plan comes after the build. */
const verifiedByBuild = (host: HostRun): boolean =>
  host.removals.length === 0 && host.input.bgp === undefined;

/** A host's verification is judged: its event, and its drift among its errors. */
function judged(run: PhasedRun, host: HostRun, drift: readonly NetplanError[]): void {
  emitterOf(run.input)({ kind: "verified", host: host.host, converged: drift.length === 0 });
  host.errors.push(...drift);
}

const runScripts =
  (part: "build" | "removals"): Phase =>
  (run) =>
    eachHost(
      run,
      run.changing.filter((host) => isHealthy(host) && host[part].length > 0),
      async (host) => {
        host.roundTrips++;
        const riding = part === "build" && verifiedByBuild(host);
        const outcome = await runChanges(
          host.input.transport,
          part,
          host[part],
          host.input.desired.services,
          emitterOf(run.input),
          run.input.lock,
          riding ? verificationScript(run.input.lock) : undefined,
        );
        host.applied = [...host.applied, ...outcome.applied];
        if (outcome.error !== undefined) host.errors.push(outcome.error);
        if (outcome.verification !== undefined) {
          // It ran, releasing the lock as the verify phase's script would have.
          host.verified = true;
          judged(
            run,
            host,
            judgeVerification(host.host, outcome.verification, verifyTargetOf(run, host)),
          );
        }
      },
    );

/**
 * The hosts of the run that have failed so far (build, BGP wait, arming a revert): when there
 * are any at the remove phase, no host removes anything (see above). Empty on a healthy run.
 */
export const failedSoFar = (run: PhasedRun): string[] =>
  run.changing.filter((host) => !isHealthy(host)).map((host) => host.host);

/**
 * The remove phase: every healthy host's removals script, unless a host of the run has
 * failed: then each host that was to remove is held instead (its "held" event says why) and
 * no script is sent.
 */
const removeOrHold: Phase = async (run) => {
  const failed = failedSoFar(run);
  if (failed.length === 0) return runScripts("removals")(run);
  for (const host of run.changing) {
    if (!isHealthy(host) || host.removals.length === 0) continue;
    const held = { removals: host.removals.length, failed };
    host.held = held;
    emitterOf(run.input)({
      kind: "held",
      host: host.host,
      held,
      message: describeHeldRemovals(host.host, held),
    });
  }
};

/**
 * What a BGP timeout adds when other BGP speakers of the run failed before the wait: "; node-2
 * failed before this wait (see its errors): its sessions and its block may be what this host
 * lacks". Said of every failed speaker, not only this host's peers: through a reflector a
 * client learns every block. A speaker that failed its build may still run its old BIRD, so the
 * wait is not skipped: the message only keeps its cause from hiding behind the timeout. "" when none failed.
 */
function failedSpeakersNote(failed: readonly string[]): string {
  if (failed.length === 0) return "";
  const one = failed.length === 1;
  return (
    `; ${failed.join(", ")} failed before this wait (see ${one ? "its" : "their"} errors): ` +
    `${one ? "its" : "their"} sessions and ${one ? "its block" : "blocks"} may be what this host lacks`
  );
}

/**
 * Every built host with a BGP expectation waits for it: its peers have all built by now, or
 * failed (a timeout then names them: failedSpeakersNote).
 */
const waitForRoutes: Phase = (run) => {
  const timeoutMs = run.input.bgpTimeoutMs ?? DEFAULT_BGP_TIMEOUT_MS;
  const emit = emitterOf(run.input);
  const failedSpeakers = run.changing
    .filter((host) => !isHealthy(host) && host.input.bgp !== undefined)
    .map((host) => host.host);
  return eachHost(
    run,
    run.changing.filter((host) => isHealthy(host) && host.input.bgp !== undefined),
    async (host) => {
      try {
        const status = await waitForBgp(
          host.input.transport,
          host.input.bgp as BgpExpectation,
          timeoutMs,
          {
            ...(run.input.bgpPollIntervalMs !== undefined && {
              pollIntervalMs: run.input.bgpPollIntervalMs,
            }),
            onPoll: (poll) => {
              host.roundTrips++;
              emit({ kind: "bgp", host: host.host, ok: poll.ok, problem: poll.problem });
            },
          },
        );
        if (!status.ok) {
          host.errors.push(
            hostFailure(
              host.host,
              "apply.bgp-timeout",
              `${host.host}: BGP did not converge within ${timeoutMs / 1000} s: ${status.problem}` +
                `${failedSpeakersNote(failedSpeakers)}; its old routes were kept`,
            ),
          );
        }
      } catch (error) {
        host.errors.push(hostFailureOf(host.host, error));
      }
    },
  );
};

/**
 * Every healthy host not verified by its build script, and not held, observes again, in its
 * own round trip.
 */
const verify: Phase = (run) =>
  eachHost(
    run,
    run.changing.filter((host) => isHealthy(host) && !host.verified && host.held === undefined),
    async (host) => {
      host.roundTrips++;
      host.verified = true;
      judged(
        run,
        host,
        await verifyHost(host.input.transport, verifyTargetOf(run, host), run.input.lock),
      );
    },
  );

/** The phases of an apply across hosts, by name, each on every host before the next. */
export const PHASES = {
  build: runScripts("build"),
  wait: waitForRoutes,
  remove: removeOrHold,
  verify,
} as const satisfies Record<string, Phase>;

/** Every host's result, in the order of the input: settled, converged, held or failed. */
export function finishPhasedRun(run: PhasedRun): ConvergeResult[] {
  const results = new Map(run.settled);
  for (const host of run.changing) {
    const outcome = !isHealthy(host) ? "failed" : host.held !== undefined ? "held" : "converged";
    results.set(host.host, resultOf(host.input, outcome, host));
  }
  return run.input.hosts.map((phased) => results.get(phased.transport.host) as ConvergeResult);
}

/** Build, wait, remove and verify every host of `input` (see above); every host's result. */
export async function applyPlanPhased(input: PhasedApplyInput): Promise<ConvergeResult[]> {
  const run = startPhasedRun(input);
  for (const phase of [PHASES.build, PHASES.wait, PHASES.remove, PHASES.verify]) {
    await phase(run);
  }
  return finishPhasedRun(run);
}
