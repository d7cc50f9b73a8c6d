import type { OnFailure } from "./on-failure.js";
import {
  describeRevertFired,
  NetplanError,
  type DesiredState,
  type ObservedHost,
} from "../model/index.js";
import { observeHost } from "../observe/observe-host.js";
import { fingerprintHostState } from "../planner/fingerprint.js";
import { planTopology } from "../planner/plan-topology.js";
import { isPlanApplicable, planHasChanges, type Plan } from "../planner/plan.js";
import { ownerScopeOf } from "../planner/rollback-target.js";
import type { Topology } from "../topology/topology.js";
import type { Transport } from "../transport/transport.js";
import pLimit from "p-limit";
import { setTimeout as sleep } from "node:timers/promises";
import {
  failedSoFar,
  finishPhasedRun,
  PHASES,
  startPhasedRun,
  type Phase,
  type PhasedRun,
} from "./apply-plan-phased.js";
import type { ConvergeRunEvent, HostLeft, PipelinePhase, StopReason } from "./apply-run-event.js";
import { hostFailureOf } from "./host-error.js";
import type { ConvergeResult, RollbackReport } from "./converge-result.js";
import { recentFinishedRuns, recordFinishedRun } from "./finished-runs.js";
import { HostLockedError, observeAndLock, releaseLock } from "./host-lock.js";
import type { LockOwner } from "./host-lock-script.js";
import { rollbackHost, type RollbackResult } from "./rollback-host.js";
import {
  armChangingHosts,
  confirmArmedHosts,
  type ConfirmTimeout,
  type RevertNews,
} from "./confirm-timeout.js";
import { clearFiredRevert } from "./confirm-revert.js";

/**
 * apply and destroy, from the observation to the verification: the one pipeline every run
 * goes through (docs/architecture.md). APPLY_STEPS lists it in order; each step either hands
 * on to the next or ends the run with its outcome. The caller (the CLI) opens the transports,
 * renders the events and asks the question; nothing here knows which mode compiled the state.
 */

/** Per-host progress of the observation (the CLI draws it as live lines). */
export interface ObserveProgress {
  report(host: string, message: string): void;
  finish(host: string, ok: boolean): void;
  close(): Promise<void>;
}

export interface ApplyPipelineInput {
  readonly verb: "apply" | "destroy";
  /** The loaded topology (its name, in the events). */
  readonly topology: Topology;
  /** One transport per host to contact, in topology order: the hosts of the run. */
  readonly transports: ReadonlyMap<string, Transport>;
  /**
   * The desired state of the hosts, compiled once they are observed (blocks and addresses
   * they hold are kept). Compile emits everything later steps need: requirements, learned
   * routes, what to wait for.
   */
  readonly desiredOf: (observed: readonly ObservedHost[]) => Promise<DesiredState>;
  /** A saved plan to apply exactly (stale hosts refuse it), or undefined to plan now. */
  readonly saved?: Plan;
  /** Hosts known unreachable before any connection (an unbuilt lab host), with why. */
  readonly unreachable?: ReadonlyMap<string, string>;
  /** Hosts contacted at once, in every step. */
  readonly parallelism: number;
  /** Asked before anything changes, with the hosts that would; false stops the run. */
  readonly confirm: (changing: readonly string[]) => Promise<boolean>;
  readonly emit: (event: ConvergeRunEvent) => void;
  /** Where the observation's per-host progress goes, started when the observation starts. */
  readonly observeProgress?: (hosts: readonly string[]) => ObserveProgress;
  /** Bound on the BGP wait, default 30 000 ms. */
  readonly bgpTimeoutMs?: number;
  /** Default 500 ms. */
  readonly bgpPollIntervalMs?: number;
  /**
   * Each host's lock (host-lock-script.ts), taken by the observation and held until the
   * verification: this run as its owner, and how long to wait for a lock another run holds
   * (0: fail at once). Absent, no lock is taken. `finishedRunsFile`: where this controller
   * records its runs that ended (finished-runs.ts), read to break their leases at once and
   * written when this run leaves leases; absent, neither.
   */
  readonly lock?: {
    readonly owner: LockOwner;
    readonly timeoutMs: number;
    readonly finishedRunsFile?: string;
  };
  /**
   * Aborted on an interruption: no new step starts, scripts already sent finish, the locks
   * are released, and the outcome says where each host was left.
   */
  readonly interrupt?: AbortSignal;
  /**
   * What becomes of a host whose script (build or removals), BGP wait or verification failed:
   * rollback-host (apply's default) puts that host back to the owned state observed before this
   * run (rollback-host.ts), rollback-all also every other host this run sent a script to, keep
   * leaves it as it failed (destroy's default and only choice: a destroy that fails half-way has
   * removed part of what is to go anyway; putting it back would undo work the next destroy
   * must redo, so destroy reports where each host stands and is run again).
   */
  readonly onFailure?: OnFailure;
  /** Plan changes to a host's SSH session path instead of refusing them (planner/management-path.ts). */
  readonly allowManagementChange?: boolean;
  /**
   * `apply --confirm-timeout`: a revert armed on each changing host before its build, and
   * disarmed over a new connection after its verification (confirm-timeout.ts).
   */
  readonly confirmTimeout?: ConfirmTimeout;
}

/** How a run ended; every event was emitted by then. */
export type ApplyPipelineOutcome =
  | { readonly kind: "stopped"; readonly reason: StopReason }
  /** A saved plan whose hosts changed since it was made, and would now plan differently. */
  | { readonly kind: "stale"; readonly hosts: readonly string[] }
  | { readonly kind: "applied"; readonly results: readonly ConvergeResult[] }
  /** Interrupted at a safe point: where each host of the run was left. */
  | { readonly kind: "interrupted"; readonly hosts: readonly HostLeft[] };

/** A run as its steps fill it in. */
interface ApplyRun {
  readonly input: ApplyPipelineInput;
  observed: readonly ObservedHost[];
  /** Hosts that could not be observed, with why. */
  unobserved: ReadonlyMap<string, string>;
  desired?: DesiredState;
  plan?: Plan;
  phased?: PhasedRun;
  /** Hosts whose lock this run took; a host leaves the set when its lock is released. */
  readonly locked: Set<string>;
  /** The phases that ran to their end on every changing host, in order. */
  readonly phasesDone: Phase[];
  /** How each host was left after a failure, once the rollback step ran. */
  readonly rollbacks: Map<string, RollbackReport>;
  /** The rollback step ran (it runs once: in order, or after an interruption). */
  rollbackRan: boolean;
  /**
   * Hosts whose confirm-timeout revert this run armed and has not confirmed, with when it fires
   * (ms since the epoch, the controller's clock: RevertNews.firesAtMs).
   */
  readonly armed: Map<string, number>;
  /** Hosts whose observation found a revert that fired (of an earlier run), with that run. */
  readonly fired: Map<string, string>;
}

/** One step: undefined hands on to the next, an outcome ends the run. */
type ApplyStep = (run: ApplyRun) => Promise<ApplyPipelineOutcome | undefined>;

const stop = (run: ApplyRun, reason: StopReason): ApplyPipelineOutcome => {
  run.input.emit({ kind: "stopped", reason });
  return { kind: "stopped", reason };
};

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`apply pipeline: ${what} is needed before this step`);
  return value;
}

/** Every host in parallel, one round trip each; a host that fails does not stop the rest. */
const observe: ApplyStep = async (run) => {
  const { transports, unreachable, parallelism, lock } = run.input;
  const hosts = [...transports.keys()];
  run.input.emit({ kind: "phase", phase: "observe", hosts });
  const observeProgress = run.input.observeProgress?.(hosts);
  const finishedRuns =
    lock?.finishedRunsFile === undefined ? [] : recentFinishedRuns(lock.finishedRunsFile);
  const observeOne = async (host: string): Promise<ObservedHost | Error> => {
    try {
      const reason = unreachable?.get(host);
      if (reason !== undefined) throw new NetplanError("lab.not-built", reason, { host });
      observeProgress?.report(host, "observing");
      const transport = transports.get(host) as Transport;
      if (lock === undefined) return await observeHost(transport);
      const locked = await observeAndLock(transport, lock.owner, lock.timeoutMs, finishedRuns);
      run.locked.add(host);
      // The lease of a run that only observed this host (it found nothing to do, or stopped
      // before changing anything) is no news: that run left the host as it was.
      if (locked.broken !== undefined && locked.broken.stage !== "observe") {
        run.input.emit({ kind: "lock-broken", host, owner: locked.broken });
      }
      return locked.observed;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  };
  const startedAt = Date.now();
  let outcomes: (ObservedHost | Error)[];
  for (let delayMs = 200; ; delayMs = Math.min(delayMs * 2, 5_000)) {
    outcomes = await pLimit(parallelism).map(hosts, observeOne);
    // An older run holds a host this run needs: this run backs off (host-lock.ts isOlderRun),
    // releasing every lock it took, and observes again while --lock-timeout allows.
    const yielded = outcomes.some((o) => o instanceof HostLockedError && o.byOlderRun);
    if (!yielded || lock === undefined) break;
    await releaseLocks(run);
    if (Date.now() - startedAt + delayMs > lock.timeoutMs || run.input.interrupt?.aborted) break;
    await sleep(delayMs);
  }
  hosts.forEach((host, index) => {
    const ok = !(outcomes[index] instanceof Error);
    if (ok) observeProgress?.report(host, "observed");
    observeProgress?.finish(host, ok);
  });
  await observeProgress?.close();
  run.observed = outcomes.filter((outcome): outcome is ObservedHost => !(outcome instanceof Error));
  run.unobserved = new Map(
    hosts.flatMap((host, index) => {
      const outcome = outcomes[index];
      return outcome instanceof Error
        ? [[host, hostFailureOf(host, outcome).message] as const]
        : [];
    }),
  );
  for (const [host, message] of run.unobserved) {
    run.input.emit({ kind: "unobserved", host, message });
  }
  for (const observed of run.observed) {
    const revert = observed.armedRevert;
    const message = revert === undefined ? undefined : describeRevertFired(revert);
    if (revert === undefined || message === undefined) continue;
    run.fired.set(observed.host, revert.run);
    run.input.emit({ kind: "revert", host: observed.host, state: "fired-earlier", message });
  }
  return undefined;
};

/**
 * A saved plan applies only to hosts that hold exactly what they held when it was made: the
 * hosts that do not, by name. Every host of the plan was observed.
 */
const changedHosts = (saved: Plan, observed: readonly ObservedHost[]): string[] =>
  saved.hosts
    .filter((hostPlan) => {
      const now = observed.find((o) => o.host === hostPlan.host);
      return now === undefined || fingerprintHostState(now.state) !== hostPlan.observedFingerprint;
    })
    .map((hostPlan) => hostPlan.host);

/** Compile against what the hosts hold, plan, and check a saved plan still fits them. */
const plan: ApplyStep = async (run) => {
  const { saved, emit } = run.input;
  const desired = await run.input.desiredOf(run.observed);
  const planned = planTopology({
    desired,
    observed: run.observed,
    against: "hosts",
    unobserved: run.unobserved,
    allowManagementChange: run.input.allowManagementChange === true,
    topologySource: run.input.topology.source,
  });
  if (saved !== undefined) {
    // A saved plan that will not run is not shown: only why, and what to do.
    const unchecked = saved.hosts.flatMap(({ host }) => {
      const message = run.unobserved.get(host);
      return message === undefined ? [] : [{ host, message }];
    });
    if (unchecked.length > 0) {
      for (const refusal of unchecked) emit({ kind: "stale", ...refusal });
      return stop(run, "stale");
    }
    const changed = changedHosts(saved, run.observed);
    if (changed.length > 0) {
      if (isPlanApplicable(planned) && !planHasChanges(planned)) {
        return stop(run, "already-applied");
      }
      return { kind: "stale", hosts: changed };
    }
    // A saved plan runs under this run's guards: what the fresh plan refuses (a change to a
    // session's path without --allow-management-change, an armed revert) refuses it too.
    if (!isPlanApplicable(planned)) {
      emit({ kind: "planned", plan: planned });
      return stop(run, "not-applicable");
    }
  }
  run.desired = desired;
  run.plan = saved ?? planned;
  emit({ kind: "planned", plan: run.plan });
  if (!isPlanApplicable(run.plan)) return stop(run, "not-applicable");
  if (!planHasChanges(run.plan)) return stop(run, "no-changes");
  return undefined;
};

const changingHosts = (plan: Plan): string[] =>
  plan.hosts.filter((h) => h.changes.length > 0).map((h) => h.host);

/** A saved plan was approved when it was saved; a fresh one is asked about. */
const confirm: ApplyStep = async (run) => {
  const changing = changingHosts(required(run.plan, "the plan"));
  if (run.input.saved === undefined && !(await run.input.confirm(changing))) {
    return stop(run, "cancelled");
  }
  return undefined;
};

/** The changing hosts, each with its plan, desired state and what to wait for. */
const startApplying: ApplyStep = async (run) => {
  const plan = required(run.plan, "the plan");
  const desired = required(run.desired, "the desired state");
  const { input } = run;
  const changing = plan.hosts.filter((h) => h.changes.length > 0);
  input.emit({ kind: "applying", hosts: changing.map((h) => h.host) });
  run.phased = startPhasedRun({
    topology: desired.topology,
    clusterCidr: desired.clusterCidr,
    ...(desired.clusterCidrV6 !== undefined && { clusterCidrV6: desired.clusterCidrV6 }),
    parallelism: input.parallelism,
    onEvent: (event) => input.emit({ kind: "host", event }),
    ...(input.lock !== undefined && { lock: input.lock.owner }),
    ...(input.bgpTimeoutMs !== undefined && { bgpTimeoutMs: input.bgpTimeoutMs }),
    ...(input.bgpPollIntervalMs !== undefined && { bgpPollIntervalMs: input.bgpPollIntervalMs }),
    hosts: changing.map((hostPlan) => {
      const compiled = required(
        desired.hosts.find((h) => h.host === hostPlan.host),
        `the desired state of ${hostPlan.host}`,
      );
      const observed = run.observed.find((o) => o.host === hostPlan.host);
      return {
        transport: required(input.transports.get(hostPlan.host), `a transport to ${hostPlan.host}`),
        desired: compiled.state,
        plan: hostPlan,
        ...(observed !== undefined && { observed }),
        ...(compiled.waitFor?.bgp !== undefined && { bgp: compiled.waitFor.bgp }),
      };
    }),
  });
  return undefined;
};

const acrossHosts =
  (name: keyof typeof PHASES & PipelinePhase): ApplyStep =>
  async (run) => {
    const phased = required(run.phased, "the changing hosts");
    // A host its build script verified is in no later phase; a held one in none after remove,
    // and the remove phase contacts no host once one has failed (apply-plan-phased.ts).
    const hosts =
      name === "remove" && failedSoFar(phased).length > 0
        ? []
        : phased.changing.filter(
            (host) => host.errors.length === 0 && !host.verified && host.held === undefined,
          );
    run.input.emit({ kind: "phase", phase: name, hosts: hosts.map((host) => host.host) });
    await PHASES[name](phased);
    run.phasesDone.push(PHASES[name]);
    return undefined;
  };

const emitRevertNews = (run: ApplyRun, news: readonly RevertNews[]): void => {
  for (const item of news) run.input.emit({ kind: "revert", ...item });
};

/** With a confirm timeout: each changing host's revert armed before anything changes. */
const armReverts: ApplyStep = async (run) => {
  const { confirmTimeout, parallelism } = run.input;
  if (confirmTimeout === undefined) return undefined;
  const desired = required(run.desired, "the desired state");
  const owner = ownerScopeOf(desired);
  const phased = required(run.phased, "the changing hosts");
  const news = await armChangingHosts(phased, owner, confirmTimeout, parallelism);
  for (const item of news) run.armed.set(item.host, item.firesAtMs ?? Date.now());
  emitRevertNews(run, news);
  return undefined;
};

/** With a confirm timeout: the armed reverts of hosts that converged (or were put back) disarmed. */
const confirmReverts: ApplyStep = async (run) => {
  const { confirmTimeout, parallelism } = run.input;
  if (confirmTimeout === undefined || run.armed.size === 0) return undefined;
  const provenBack = new Set(
    [...run.rollbacks].filter(([, report]) => report.state === "rolled-back").map(([h]) => h),
  );
  const phased = required(run.phased, "the changing hosts");
  const armed = new Set(run.armed.keys());
  const news = await confirmArmedHosts(phased, armed, provenBack, confirmTimeout, parallelism);
  for (const item of news) if (item.state !== "left-armed") run.armed.delete(item.host);
  emitRevertNews(run, news);
  return undefined;
};

const reportOf = (result: RollbackResult): RollbackReport => ({
  state: result.rolledBack ? "rolled-back" : "incomplete",
  changes: result.changes,
  roundTrips: result.roundTrips,
});

/**
 * After a failure: each failed host is rolled back, or kept (ApplyPipelineInput.onFailure);
 * with rollback-all every other host a script was sent to as well (held ones too). A held host
 * is otherwise left built: its lock goes with releaseHeldLocks. Hosts in parallel, each
 * still locked (rollback-host.ts renews the lock, or takes it again after a verification that
 * released it). Nothing happens when every host converged: the success path gains no round trip.
 */
const rollBack: ApplyStep = async (run) => {
  const phased = required(run.phased, "the changing hosts");
  const { input } = run;
  run.rollbackRan = true;
  const onFailure = input.onFailure ?? (input.verb === "destroy" ? "keep" : "rollback-host");
  const failed = phased.changing.filter((host) => host.errors.length > 0);
  if (failed.length === 0) return undefined;
  const failureOf = (host: (typeof phased.changing)[number]) => ({
    failure: host.errors.map((error) => error.message).join("\n"),
    ...(host.errors[0] !== undefined && { code: host.errors[0].code }),
  });
  if (onFailure === "keep") {
    for (const host of failed) {
      const kept = { ran: host.applied.length, planned: host.input.plan.changes.length };
      run.rollbacks.set(host.host, { state: "kept", changes: 0, roundTrips: 0, kept });
      input.emit({
        kind: "rollback",
        host: host.host,
        cause: "failed",
        ...failureOf(host),
        state: "kept",
        changes: 0,
        roundTrips: 0,
        problems: [],
      });
    }
    return undefined;
  }
  // A host a script was sent to (its round trips count more than the observation).
  const touched = phased.changing.filter(
    (host) => host.errors.length > 0 || (onFailure === "rollback-all" && host.roundTrips > 1),
  );
  const topology = required(run.desired, "the desired state");
  const owner = ownerScopeOf(topology);
  input.emit({ kind: "phase", phase: "rollback", hosts: touched.map((host) => host.host) });
  await pLimit(input.parallelism).map(touched, async (host) => {
    const before = required(host.input.observed, `the observation of ${host.host}`);
    // What failed, said before the rollback's own problems join the host's errors.
    const cause = failed.includes(host) ? "failed" : "another-host-failed";
    const failure = cause === "failed" ? failureOf(host) : undefined;
    const result = await rollbackHost({
      transport: host.input.transport,
      owner,
      before,
      ...(input.lock !== undefined && {
        lock: { owner: input.lock.owner, held: !host.verified },
      }),
      emit: (event) => input.emit({ kind: "host", event }),
    });
    if (input.lock !== undefined) {
      if (result.released) run.locked.delete(host.host);
      else run.locked.add(host.host);
    }
    const report = reportOf(result);
    run.rollbacks.set(host.host, report);
    // A host that failed because it stopped answering, and whose rollback could not reach it
    // either, is said once: the rollback's problem names the failure it repeats.
    const said = new Set(host.errors.map((error) => error.message));
    host.errors = host.errors.filter(
      (error) =>
        !result.problems.some((p) =>
          p.message.includes(error.message.replace(`${host.host}: `, "")),
        ),
    );
    host.errors.push(...result.problems.filter((problem) => !said.has(problem.message)));
    input.emit({
      kind: "rollback",
      host: host.host,
      cause,
      ...failure,
      ...report,
      problems: result.problems.map((problem) => problem.message),
    });
  });
  return undefined;
};

const report: ApplyStep = async (run) => {
  const results = finishPhasedRun(required(run.phased, "the changing hosts")).map((result) => {
    const rollback = run.rollbacks.get(result.host);
    if (rollback === undefined) return result;
    // A converged (or held) host put back because another failed is neither any more.
    const outcome =
      result.outcome === "converged" || result.outcome === "held" ? "rolled-back" : result.outcome;
    return { ...result, outcome, rollback };
  });
  run.input.emit({ kind: "applied", results });
  return { kind: "applied", results };
};

/** The pipeline, in order: the first step that returns an outcome ends it. */
const APPLY_STEPS: readonly ApplyStep[] = [
  observe,
  plan,
  confirm,
  startApplying,
  armReverts,
  acrossHosts("build"),
  acrossHosts("wait"),
  acrossHosts("remove"),
  acrossHosts("verify"),
  rollBack,
  confirmReverts,
  report,
];

/** Where each host of the run stands when an interruption stops it between two steps. */
function hostsLeft(run: ApplyRun): HostLeft[] {
  const hosts = [...run.input.transports.keys()];
  const changing = new Map(run.phased?.changing.map((host) => [host.host, host]));
  const removed = run.phasesDone.includes(PHASES.remove);
  return hosts.map((host) => {
    const left = hostLeft(run, host, changing.get(host), removed);
    const firesAtMs = run.armed.get(host);
    if (firesAtMs === undefined) return left;
    const disarm = `netplan-k disarm ${run.input.topology.source} --limit ${host}`;
    return { ...left, armedRevert: { firesAtMs, disarm } };
  });
}

/** Where one host of an interrupted run stands, before its armed revert is added. */
function hostLeft(
  run: ApplyRun,
  host: string,
  hostRun: NonNullable<ApplyRun["phased"]>["changing"][number] | undefined,
  removed: boolean,
): HostLeft {
  if (hostRun === undefined || run.phasesDone.length === 0) {
    return { host, state: "unchanged", applied: 0 };
  }
  const applied = hostRun.applied.length;
  const rollback = run.rollbacks.get(host);
  if (hostRun.errors.length > 0 || rollback !== undefined) {
    const failure = hostRun.errors.map((error) => error.message).join("\n");
    return { host, state: "failed", applied, failure, ...(rollback && { rollback }) };
  }
  if (hostRun.verified) return { host, state: "converged", applied };
  return { host, state: removed && hostRun.held === undefined ? "removed" : "built", applied };
}

/**
 * Removes the record of a revert that fired (of an earlier run), which this run reported, on
 * each host this run saw whole: it converged, or had nothing to change (armed-revert-script.ts
 * says why then). One round trip on such a host only; never throws: a record left is said again
 * by the next run.
 */
async function clearReportedReverts(
  run: ApplyRun,
  outcome: ApplyPipelineOutcome | undefined,
): Promise<void> {
  const whole = (host: string): boolean => {
    if (outcome?.kind === "applied") {
      const result = outcome.results.find((r) => r.host === host);
      return result?.outcome === "converged" || result?.outcome === "unchanged";
    }
    return (
      outcome?.kind === "stopped" &&
      (outcome.reason === "no-changes" || outcome.reason === "already-applied")
    );
  };
  const hosts = [...run.fired].filter(([host]) => whole(host));
  await pLimit(run.input.parallelism).map(hosts, async ([host, firedRun]) => {
    await clearFiredRevert(run.input.transports.get(host) as Transport, firedRun).catch(
      () => undefined,
    );
  });
}

/**
 * Releases the locks this run still holds, one round trip per host, except after a run that
 * changed nothing: those locks run out with their short lease (a no-op costs one round trip).
 */
async function releaseHeldLocks(run: ApplyRun, outcome: ApplyPipelineOutcome): Promise<void> {
  const { lock } = run.input;
  if (lock === undefined) return;
  for (const host of run.phased?.changing ?? []) {
    // A rolled-back host's lock is as its rollback left it (run.locked says).
    if (host.verified && !run.rollbacks.has(host.host)) run.locked.delete(host.host);
  }
  if (
    outcome.kind === "stopped" &&
    (outcome.reason === "no-changes" || outcome.reason === "already-applied")
  ) {
    return;
  }
  // A host that changes nothing in an applied run keeps its lock until the short lease ends.
  const changing = new Set(run.phased?.changing.map((host) => host.host));
  await releaseLocks(run, (host) => outcome.kind !== "applied" || changing.has(host));
}

/** Releases the locks this run holds (those `which` selects), one round trip per host. */
async function releaseLocks(
  run: ApplyRun,
  which: (host: string) => boolean = () => true,
): Promise<void> {
  const { lock, transports, parallelism } = run.input;
  if (lock === undefined) return;
  const held = [...run.locked].filter(which);
  await pLimit(parallelism).map(held, async (host) => {
    if (await releaseLock(transports.get(host) as Transport, lock.owner)) run.locked.delete(host);
  });
}

/**
 * Runs apply or destroy on the hosts of `input.transports`: observe every host (round trip
 * 1), compile and plan, stop when the plan cannot run or changes nothing, ask, then build on
 * every changing host, wait for what the compiled state says to wait for, remove what is no
 * longer needed, and observe again to verify (applyPlanPhased's phases). Each step reports
 * through `input.emit`; a host's failure is in its result, never a throw. With `input.lock`,
 * every host's lock is held from the observation to the verification and released by then
 * (or by a release script when the run ends early). A host that failed is rolled back, or
 * kept, as `input.onFailure` says (the rollback step). With `input.interrupt`, an abort lets the
 * running step finish and starts no other. Throws only what `desiredOf` or `confirm` throw.
 */
export async function runApplyPipeline(input: ApplyPipelineInput): Promise<ApplyPipelineOutcome> {
  input.emit({
    kind: "started",
    verb: input.verb,
    topology: input.topology.name,
    hosts: [...input.transports.keys()],
  });
  const run: ApplyRun = {
    input,
    observed: [],
    unobserved: new Map(),
    locked: new Set(),
    phasesDone: [],
    rollbacks: new Map(),
    rollbackRan: false,
    armed: new Map(),
    fired: new Map(),
  };
  const { interrupt } = input;
  const onInterrupt = () => input.emit({ kind: "interrupting" });
  interrupt?.addEventListener("abort", onInterrupt, { once: true });
  let outcome: ApplyPipelineOutcome | undefined;
  try {
    for (const step of APPLY_STEPS) {
      if (interrupt?.aborted === true) {
        // A host that failed is put back before the run stops, as it would be uninterrupted.
        if (run.phased !== undefined && run.phasesDone.length > 0 && !run.rollbackRan) {
          await rollBack(run);
        }
        outcome = { kind: "interrupted", hosts: hostsLeft(run) };
        break;
      }
      outcome = await step(run);
      if (outcome !== undefined) break;
    }
  } finally {
    interrupt?.removeEventListener("abort", onInterrupt);
    await releaseHeldLocks(run, outcome ?? { kind: "interrupted", hosts: [] });
    await clearReportedReverts(run, outcome);
    // Its leases left (a no-op's) are broken by the next run's observation (finished-runs.ts).
    if (input.lock?.finishedRunsFile !== undefined && run.locked.size > 0) {
      recordFinishedRun(input.lock.owner.run, input.lock.finishedRunsFile);
    }
  }
  if (outcome === undefined) throw new Error("apply pipeline: the last step returned no outcome");
  if (outcome.kind === "interrupted") input.emit({ kind: "interrupted", hosts: outcome.hosts });
  return outcome;
}
