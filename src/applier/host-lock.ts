import { randomUUID } from "node:crypto";
import { hostname, userInfo } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { ObservedHost } from "../model/index.js";
import { NetplanError } from "../model/netplan-error.js";
import { OBSERVATION, OBSERVATION_KIND } from "../observe/observation-script.js";
import {
  OBSERVATION_MAX_OUTPUT_CHARS,
  OBSERVATION_TIMEOUT_MS,
  parseObservationRun,
} from "../observe/observe-host.js";
import { parseRemoteOutput, renderRemoteScript, type RemoteScriptKind } from "../remote/index.js";
import type { Transport } from "../transport/transport.js";
import {
  describeLockOwner,
  LOCK_DIR,
  LOCK_EXIT_STATUS,
  lockSection,
  OBSERVE_LEASE_SECONDS,
  parseLockReport,
  type LockOwner,
} from "./host-lock-script.js";

/**
 * The controller's side of the per-host lock (host-lock-script.ts holds the host's side): the
 * run's identity, the observation that takes the lock (waiting up to a timeout), and the
 * judgement of a lock left by a killed run of this same machine.
 */

/** This run as the owner of the locks it takes: a fresh run id, user@controller and pid. */
export function newLockOwner(verb: "apply" | "destroy" | "unlock", now = new Date()): LockOwner {
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = process.env["USER"] ?? "unknown";
  }
  return {
    run: randomUUID().slice(0, 8),
    user,
    controller: hostname(),
    pid: process.pid,
    since: now.toISOString(),
    verb,
  };
}

/** Whether a process with this pid exists on this machine (signal 0 only checks). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * A lock whose owner ran on this machine, under a pid that no longer exists, was left by a
 * killed run: it may be broken at once. (A reused pid only makes a dead run look alive; its
 * lease then frees the lock.)
 */
export const isLeftByDeadRunHere = (owner: LockOwner, self: LockOwner): boolean =>
  owner.controller === self.controller && owner.pid !== self.pid && !processExists(owner.pid);

/**
 * Whether run `a` started before run `b`: by start time, then run id, a total order every
 * controller computes alike from the owner files. Two runs that meet on each other's locks
 * (started together on the same hosts, each first on some of them) settle by it: the older
 * waits briefly (YOUNGER_RUN_BACKOFF_MS) and the younger releases every lock it took and
 * fails (or, with --lock-timeout, tries again after), so one of them converges whatever the
 * timing.
 */
export const isOlderRun = (a: LockOwner, b: LockOwner): boolean =>
  a.since < b.since || (a.since === b.since && a.run < b.run);

/**
 * How long a run waits for a younger run's lock to go: the younger meets this run's lock on
 * another host within its own observation and then releases everything (a round trip or two).
 * A younger run that took every lock first is not waiting for anything: it goes on, and this
 * run fails once this has passed (or waits on with --lock-timeout).
 */
export const YOUNGER_RUN_BACKOFF_MS = 10_000;

/**
 * How long a run waits for the last script of a killed run of this machine to end on a host:
 * it was sent before the kill and goes on there (its pid holds the lock, host-lock-script.ts);
 * the apply script's own bound, and a little more.
 */
export const LEFTOVER_SCRIPT_WAIT_MS = 130_000;

/** Another run holds a host's lock (code apply.locked). */
export class HostLockedError extends NetplanError {
  override readonly name = "HostLockedError";
  constructor(
    message: string,
    options: { readonly host: string; readonly remedy: string },
    /** The holder is an older run (isOlderRun): this run is the one to back off. */
    readonly byOlderRun: boolean,
  ) {
    super("apply.locked", message, options);
  }
}

/** `host is locked by ...`: another run holds the host's lock (code apply.locked). */
export function hostLockedError(
  host: string,
  owner: LockOwner,
  waitedMs: number,
  byOlderRun = false,
): HostLockedError {
  const lease =
    owner.expires === undefined
      ? ""
      : ` Its lease runs out at ${new Date(owner.expires * 1000).toISOString()}; a run killed before then is broken by the next run after it (at once from ${owner.controller}, where its pid is checked).`;
  return new HostLockedError(
    `${host} is locked by ${describeLockOwner(owner)} (run ${owner.run}, ${owner.verb})` +
      (byOlderRun ? ", a run started before this one: this run backs off" : "") +
      (waitedMs > 0 ? `; waited ${Math.round(waitedMs / 1000)} s` : ""),
    {
      host,
      remedy: `Wait for that run to finish, or run again with --lock-timeout 5m to wait for it.${lease}`,
    },
    byOlderRun,
  );
}

export interface LockedObservation {
  readonly observed: ObservedHost;
  /** The stale lock this observation broke before taking its own, if any. */
  readonly broken?: LockOwner;
}

/**
 * Observes `transport`'s host and takes its lock in the same round trip. A lock held by an
 * older run (isOlderRun) throws hostLockedError at once, `byOlderRun` set: the caller releases
 * every lock it took and fails, or observes again later. A lock held by a younger run is
 * waited for up to YOUNGER_RUN_BACKOFF_MS (it backs off), and any lock up to `lockTimeoutMs`
 * (0: not at all), retrying with backoff (0.2 s doubling up to 5 s); then hostLockedError. A
 * lock left by a dead run of this machine is broken at once (one more round trip), once its
 * last script has ended on the host (waited for up to LEFTOVER_SCRIPT_WAIT_MS); in the first
 * round trip already when it is one of `finishedRuns` (runs of this controller that recorded
 * their end: finished-runs.ts). No contention, no extra round trip. Throws ObservationError or TransportError as observeHost does, and
 * NetplanError "apply.lock-failed" when the lock directory cannot be made.
 */
export async function observeAndLock(
  transport: Transport,
  self: LockOwner,
  lockTimeoutMs: number,
  finishedRuns: readonly string[] = [],
): Promise<LockedObservation> {
  const host = transport.host;
  let firstHeldAt: number | undefined;
  const breakRuns = [...finishedRuns];
  let leftoverSince: number | undefined;
  let delayMs = 200;
  let ownerless = 0;
  for (;;) {
    const result = await transport.run(["sh", "-s"], {
      stdin: renderRemoteScript({
        ...OBSERVATION,
        lock: lockSection(self, { kind: "take", breakRuns }),
      }),
      phase: "lock + observe",
      timeoutMs: OBSERVATION_TIMEOUT_MS,
      maxOutputChars: OBSERVATION_MAX_OUTPUT_CHARS,
    });
    const lock = parseRemoteOutput(host, OBSERVATION_KIND, result.stdout).lock;
    const report = parseLockReport(lock);
    if (report.state === "taken") {
      return {
        observed: parseObservationRun(host, result),
        ...(report.broken !== undefined && { broken: report.broken }),
      };
    }
    if (report.state === "held" && report.owner === undefined && ownerless < 3) {
      // Another run is between its mkdir and the write of its owner file: a moment.
      ownerless++;
      await sleep(100);
      continue;
    }
    if (report.state === "held" && report.owner === undefined) {
      throw new NetplanError(
        "apply.locked",
        `${host} is locked by a run that wrote no owner file in ${LOCK_DIR}`,
        {
          host,
          remedy: `Run again in ${OBSERVE_LEASE_SECONDS} s: a lock without an owner is broken once that long has passed.`,
        },
      );
    }
    if (report.state !== "held" || report.owner === undefined) {
      throw new NetplanError(
        "apply.lock-failed",
        `${host}: could not take the lock ${LOCK_DIR} (exit ${lock?.exitCode ?? result.exitCode}): ` +
          `${lock?.stderr || result.stderr.trim() || "no message"}`,
        { host, remedy: `netplan-k needs to write ${LOCK_DIR} on the host: run it as root there.` },
      );
    }
    if (isLeftByDeadRunHere(report.owner, self)) {
      if (!breakRuns.includes(report.owner.run)) {
        breakRuns.push(report.owner.run);
        continue;
      }
      // Not broken: the killed run's last script still runs on the host; it ends by its bound.
      leftoverSince ??= Date.now();
      if (Date.now() - leftoverSince < LEFTOVER_SCRIPT_WAIT_MS) {
        await sleep(100);
        continue;
      }
    }
    firstHeldAt ??= Date.now();
    const waited = Date.now() - firstHeldAt;
    if (!isLeftByDeadRunHere(report.owner, self) && isOlderRun(report.owner, self)) {
      throw hostLockedError(host, report.owner, waited, true);
    }
    const bound = Math.max(
      lockTimeoutMs,
      isOlderRun(self, report.owner) ? YOUNGER_RUN_BACKOFF_MS : 0,
    );
    if (waited + delayMs > bound) throw hostLockedError(host, report.owner, waited);
    await sleep(delayMs);
    delayMs = Math.min(delayMs * 2, 5_000);
  }
}

/** The script that only releases the lock: its main part is empty. */
const RELEASE_KIND = { kind: "lock-release", version: 1 } as const satisfies RemoteScriptKind;

/**
 * Releases the host's lock when this run holds it: one round trip, for a host whose run ended
 * before its last script (a failure, a refusal, an interruption). Never throws: a lock it
 * cannot release runs out with its lease. Returns whether the lock was released.
 */
export async function releaseLock(transport: Transport, self: LockOwner): Promise<boolean> {
  try {
    const result = await transport.run(["sh", "-s"], {
      phase: "release lock",
      stdin: renderRemoteScript({
        ...RELEASE_KIND,
        summary: "releases the per-host lock.",
        functions: "",
        main: "",
        lock: lockSection(self, { kind: "release" }),
      }),
      timeoutMs: 10_000,
    });
    const { lock } = parseRemoteOutput(transport.host, RELEASE_KIND, result.stdout);
    return parseLockReport(lock).state === "released";
  } catch {
    return false;
  }
}

/**
 * When a script was stopped by its lock check (another run took the lock over, or it is gone),
 * the failure to report, code apply.lock-lost; undefined when it was not. `kind`: the
 * script's, whose output holds the lock section.
 */
export function lockLostError(
  host: string,
  kind: RemoteScriptKind,
  exitCode: number,
  output: string,
): NetplanError | undefined {
  if (exitCode !== LOCK_EXIT_STATUS) return undefined;
  const report = parseLockReport(parseRemoteOutput(host, kind, output).lock);
  if (report.state !== "lost") return undefined;
  const holder =
    report.owner === undefined
      ? "its lock is gone (its lease ran out and another run broke it)"
      : `its lock was taken over by ${describeLockOwner(report.owner)} (run ${report.owner.run}) after its lease ran out`;
  return new NetplanError(
    "apply.lock-lost",
    `${host}: ${holder}; this script stopped before changing anything`,
    {
      host,
      remedy:
        "Run again once the other run is done: its plan is made against what the host holds then.",
    },
  );
}
