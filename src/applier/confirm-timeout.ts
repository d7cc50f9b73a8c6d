import pLimit from "p-limit";
import { NetplanError } from "../model/index.js";
import type { Transport } from "../transport/index.js";
import { ownedHostState, type OwnerScope } from "../planner/rollback-target.js";
import { planRevert } from "../planner/revert-target.js";
import type { PhasedRun } from "./apply-plan-phased.js";
import { renderRevertScript, splitExpressible } from "./armed-revert-script.js";
import { armRevert, disarmRevert } from "./confirm-revert.js";
import { hostFailureOf } from "./host-error.js";
import type { LockOwner } from "./host-lock-script.js";

/**
 * `apply --confirm-timeout` (issue 11, point 3), the two steps of the pipeline around the
 * phases: arm before anything changes, confirm after the verification.
 *
 * - arm: on every changing host, one round trip before its build: the revert
 *   (planner/revert-target.ts, from the pre-apply observation and the host's plan) written to
 *   the host and a detached timer started (armed-revert-script.ts). A host where it cannot be
 *   armed is not changed (its error stops it before the build).
 * - confirm: on every host that converged (verified), was held (built, its removals held
 *   because another host failed: a state this run chose, reached over a working path), or
 *   whose rollback was proven, one round
 *   trip over a transport opened for it (`reopen`: for SSH, a new connection, which proves the
 *   path to the host still works), disarming the revert. A host that cannot be reached then,
 *   or that failed and was not proven rolled back, is left armed: it reverts by itself when
 *   the time runs out, and the event says so.
 */

/**
 * The shortest confirm timeout a run accepts, in seconds. Between the arming and the
 * confirmation come the host's build, its verification (an observation: 12-15 ms of listings
 * over an open connection, LAB-NOTES.md, but 18-32 s measured for one observation of an empty
 * namespace on this 2-core machine at load 27 while five suites ran) and a new SSH connection
 * (190 ms, 40 ms of CPU: LAB-NOTES.md). A second or two always fired before the confirmation
 * could arrive; 5 s is the shortest the lab's SSH tests confirm in (test/e2e/confirm-timeout,
 * 6 s and 8 s there). Real hosts: say 30 s or more.
 */
export const MIN_CONFIRM_TIMEOUT_SECONDS = 5;

/** What a run with a confirm timeout needs. */
export interface ConfirmTimeout {
  readonly seconds: number;
  /** The run (its lock's owner): the record on the host names it. */
  readonly owner: LockOwner;
  /** A new transport to `host`, for the confirmation; closed once it ran. */
  readonly reopen: (host: string) => Transport;
}

/** How a host's revert stands after a step, for the run's events. */
export interface RevertNews {
  readonly host: string;
  readonly state: "armed" | "confirmed" | "left-armed" | "fired";
  readonly message: string;
  /**
   * With "armed": when the revert fires, in ms since the epoch on the controller's clock (the
   * host's record and clock read in the arming's round trip, so a skew between the clocks does
   * not count).
   */
  readonly firesAtMs?: number;
}

/** Arms every changing host's revert (see above); the hosts armed, with their news. */
export async function armChangingHosts(
  phased: PhasedRun,
  owner: OwnerScope,
  confirm: ConfirmTimeout,
  parallelism: number,
): Promise<RevertNews[]> {
  const news: RevertNews[] = [];
  await pLimit(parallelism).map(phased.changing, async (host) => {
    const before = host.input.observed;
    if (before === undefined) return;
    try {
      const planned = planRevert(owner, before.state, host.input.desired, host.input.plan.changes);
      const { expressible: changes, left } = splitExpressible(planned);
      const revertScript = renderRevertScript(
        changes,
        ownedHostState(owner, before.state).services,
      );
      const cannot = left
        .map((c) => `${c.kind} ${c.key}${c.netns === undefined ? "" : ` in ${c.netns}`}`)
        .join(", ");
      host.roundTrips++;
      const armed = await armRevert(host.input.transport, {
        owner: confirm.owner,
        revertScript,
        timeoutSeconds: confirm.seconds,
      });
      const record = armed.record;
      const inSeconds =
        record?.now === undefined ? confirm.seconds : Math.max(0, record.fires - record.now);
      news.push({
        host: host.host,
        state: "armed",
        firesAtMs: Date.now() + inSeconds * 1000,
        message:
          `revert armed: ${changes.length} changes, fires in ${confirm.seconds} s unless confirmed` +
          (left.length === 0
            ? ""
            : ` (it cannot recreate ${cannot}: the other end of a veth is not observed)`),
      });
    } catch (error) {
      host.errors.push(hostFailureOf(host.host, error));
    }
  });
  return news;
}

/**
 * Confirms the hosts of `armed` that converged, were held, or were proven rolled back (`provenBack`),
 * each over a new transport; the others are left armed. Never throws: a host that cannot be
 * reached is left armed, and says so.
 */
export async function confirmArmedHosts(
  phased: PhasedRun,
  armed: ReadonlySet<string>,
  provenBack: ReadonlySet<string>,
  confirm: ConfirmTimeout,
  parallelism: number,
): Promise<RevertNews[]> {
  const hosts = phased.changing.filter((host) => armed.has(host.host));
  const news: RevertNews[] = [];
  const leftArmed = (host: string, why: string): RevertNews => ({
    host,
    state: "left-armed",
    message: `not confirmed (${why}): the host reverts by itself when its ${confirm.seconds} s run out`,
  });
  await pLimit(parallelism).map(hosts, async (host) => {
    const settled = host.errors.length === 0 && (host.verified || host.held !== undefined);
    if (!settled && !provenBack.has(host.host)) {
      news.push(leftArmed(host.host, "it failed and was not proven rolled back"));
      return;
    }
    const transport = confirm.reopen(host.host);
    try {
      const report = await disarmRevert(transport, confirm.owner.run);
      if (report.state === "disarmed" || report.state === "none") {
        news.push({
          host: host.host,
          state: "confirmed",
          message:
            report.state === "disarmed"
              ? "confirmed over a new connection: revert disarmed"
              : "confirmed over a new connection: nothing was armed any more (disarmed by hand)",
        });
      } else if (report.state === "fired") {
        news.push({ host: host.host, state: "fired", message: "too late: the revert fired" });
        host.errors.push(
          new NetplanError(
            "apply.revert-fired",
            `${host.host}: the confirm-timeout revert fired before the confirmation (after ${confirm.seconds} s): the host is back to what it held before this run`,
            { host: host.host, remedy: "Run apply again with a longer --confirm-timeout." },
          ),
        );
      } else {
        news.push(leftArmed(host.host, "another run's revert is armed there"));
      }
    } catch (error) {
      news.push(leftArmed(host.host, hostFailureOf(host.host, error).message));
    } finally {
      await transport.close();
    }
  });
  return news;
}
