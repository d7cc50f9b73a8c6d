import type { HostState, NetplanError, ObservedHost, Service } from "../model/index.js";
import type { Change, HostPlan } from "../planner/plan.js";
import type { Transport } from "../transport/index.js";
import pLimit from "p-limit";
import type { ConvergeEvent, ConvergeOutcome, ConvergeResult } from "./converge-result.js";
import { hostFailure, hostFailureOf } from "./host-error.js";
import { splitPlanPhases } from "./plan-phases.js";
import { runChanges } from "./run-changes.js";
import { verifyHost } from "./verify-host.js";
import { waitForBgp, type BgpExpectation } from "./wait-for-bgp.js";

/**
 * Apply make-before-break across hosts. Each host's plan is cut in two (plan-phases.ts), and
 * every phase runs on every changing host before the next one starts anywhere:
 *
 *   a. build: every host creates and updates (new VTEPs, routes replaced, BIRD started);
 *   b. BGP: every host whose desired state runs BIRD waits until its sessions are Established
 *      and its peers' blocks learned, so static routes go only once BIRD's are there;
 *   c. removals: the deletes, on hosts whose build (and BGP) succeeded. Only now may a VTEP
 *      go: a peer still encapsulating to it has replaced its route in phase a. A host that
 *      failed before keeps its old paths, nothing half removed;
 *   d. verify: observe again; the diff against the desired state must be empty.
 *
 * One script per phase per host: with the caller's observation, 3 round trips for a plan
 * that deletes nothing (or only deletes), 4 for one that creates and deletes, plus the BGP
 * polls. Hosts with nothing to do are
 * not contacted. A host's failure is its result, never a throw.
 */

export interface PhasedHost {
  readonly transport: Transport;
  readonly desired: HostState;
  /** Made by the caller from the observation it just did (and showed, and had confirmed). */
  readonly plan: HostPlan;
  /** That observation, kept in the result (the base of a rollback). */
  readonly observed?: ObservedHost;
  /**
   * What BGP must show on this host once built. Default: as many sessions as the desired
   * BIRD configuration declares `protocol bgp`, and no block check.
   */
  readonly bgp?: BgpExpectation;
}

export interface PhasedApplyInput {
  readonly topology: string;
  readonly clusterCidr: string;
  readonly hosts: readonly PhasedHost[];
  /** Hosts contacted at once, in every phase. */
  readonly parallelism: number;
  readonly onEvent?: (event: ConvergeEvent) => void;
  /** Bound on phase b, default 30 000. */
  readonly bgpTimeoutMs?: number;
  /** Default 500. */
  readonly bgpPollIntervalMs?: number;
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
}

const isHealthy = (run: HostRun): boolean => run.errors.length === 0;

/** The bird service the desired state runs, if any. */
const runningBird = (desired: HostState): Service | undefined =>
  desired.services.find((service) => service.name === "bird" && service.running);

function defaultBgpExpectation(desired: HostState, bird: Service): BgpExpectation {
  const config = desired.files.find((file) => file.path === bird.configPath)?.content ?? "";
  return { sessions: (config.match(/^protocol bgp /gm) ?? []).length, blocks: [] };
}

const planProblems = (host: string, plan: HostPlan): NetplanError[] =>
  [
    ...plan.errors.map((error) => (error.startsWith(`${host}: `) ? error : `${host}: ${error}`)),
    ...plan.conflicts.map((conflict) => `${host}: ${conflict.reason}`),
  ].map((message) => hostFailure(host, "plan.refused", message));

export async function applyPlanPhased(input: PhasedApplyInput): Promise<ConvergeResult[]> {
  const emit = input.onEvent ?? (() => undefined);
  const eachHost = async (runs: readonly HostRun[], work: (run: HostRun) => Promise<void>) => {
    await pLimit(input.parallelism).map(runs, work);
  };

  const results = new Map<string, ConvergeResult>();
  const finish = (phased: PhasedHost, outcome: ConvergeOutcome, run?: HostRun): void => {
    const host = phased.transport.host;
    results.set(host, {
      host,
      outcome,
      ...(phased.observed !== undefined && { observed: phased.observed }),
      plan: phased.plan,
      applied: run?.applied ?? [],
      roundTrips: run?.roundTrips ?? 1,
      errors: run?.errors ?? (outcome === "refused" ? planProblems(host, phased.plan) : []),
    });
  };

  const changing: HostRun[] = [];
  for (const phased of input.hosts) {
    if (planProblems(phased.transport.host, phased.plan).length > 0) {
      finish(phased, "refused");
    } else if (phased.plan.changes.length === 0) {
      finish(phased, "unchanged");
    } else {
      changing.push({
        input: phased,
        host: phased.transport.host,
        ...splitPlanPhases(phased.plan.changes),
        applied: [],
        roundTrips: 1,
        errors: [],
      });
    }
  }

  const runPhase = (phase: "build" | "removals") => async (run: HostRun) => {
    const changes = run[phase];
    if (changes.length === 0) return;
    run.roundTrips++;
    const outcome = await runChanges(
      run.input.transport,
      phase,
      changes,
      run.input.desired.services,
      emit,
    );
    run.applied = [...run.applied, ...outcome.applied];
    if (outcome.error !== undefined) run.errors.push(outcome.error);
  };

  // a. build
  await eachHost(changing, runPhase("build"));

  // b. BGP, on every built host that runs BIRD: its peers have all started theirs by now.
  const timeoutMs = input.bgpTimeoutMs ?? DEFAULT_BGP_TIMEOUT_MS;
  await eachHost(
    changing.filter((run) => isHealthy(run) && runningBird(run.input.desired) !== undefined),
    async (run) => {
      const { desired, transport } = run.input;
      const bird = runningBird(desired) as Service;
      try {
        const status = await waitForBgp(
          transport,
          run.input.bgp ?? defaultBgpExpectation(desired, bird),
          timeoutMs,
          {
            ...(input.bgpPollIntervalMs !== undefined && {
              pollIntervalMs: input.bgpPollIntervalMs,
            }),
            onPoll: (poll) => {
              run.roundTrips++;
              emit({ kind: "bgp", host: run.host, ok: poll.ok, problem: poll.problem });
            },
          },
        );
        if (!status.ok) {
          run.errors.push(
            hostFailure(
              run.host,
              "apply.bgp-timeout",
              `${run.host}: BGP did not converge within ${timeoutMs / 1000} s: ${status.problem}; ` +
                `its old routes were kept`,
            ),
          );
        }
      } catch (error) {
        run.errors.push(hostFailureOf(run.host, error));
      }
    },
  );

  // c. removals, only where everything before succeeded.
  await eachHost(changing.filter(isHealthy), runPhase("removals"));

  // d. verify
  await eachHost(changing.filter(isHealthy), async (run) => {
    run.roundTrips++;
    const drift = await verifyHost(run.input.transport, {
      topology: input.topology,
      clusterCidr: input.clusterCidr,
      desired: run.input.desired,
    });
    emit({ kind: "verified", host: run.host, converged: drift.length === 0 });
    run.errors.push(...drift);
  });

  for (const run of changing) {
    finish(run.input, isHealthy(run) ? "converged" : "failed", run);
  }
  return input.hosts.map((phased) => results.get(phased.transport.host) as ConvergeResult);
}
