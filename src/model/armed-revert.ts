/** Where a confirm-timeout revert lives on every host (a tmpfs: a reboot ends it). */
export const REVERT_DIR = "/run/netplan-k/revert";

/**
 * A confirm-timeout revert on a host (applier/armed-revert-script.ts), as its record file says:
 * who armed it and when it fires, and once it fired, how it went. Observed by every
 * observation, so that a revert left by a crashed run is never left ticking unseen, and a
 * revert that fired is reported by the next run.
 */
export interface ArmedRevert {
  /** The run that armed it (its lock's run id). */
  readonly run: string;
  readonly user: string;
  readonly controller: string;
  readonly pid: number;
  /** When that run started, ISO 8601 (the controller's clock). */
  readonly since: string;
  readonly timeoutSeconds: number;
  /** When it fires (or fired), seconds since the epoch, in the host's clock. */
  readonly fires: number;
  /** The host's clock when it was read, seconds since the epoch (observations say). */
  readonly now?: number;
  /**
   * Its detached timer, as an observation found it: alive (the recorded pid runs, with the
   * recorded start time: not a recycled pid), or dead (killed, or the host rebooted with a /run
   * that is not a tmpfs): a dead timer never fires. Absent when not observed.
   */
  readonly timer?: "alive" | "dead";
  /** Set once the timer fired: the record moved to `fired` (its revert may still run). */
  readonly firing?: boolean;
  /**
   * The revert's exit status, once it ran: the number of its lines that failed (apply-script.ts
   * count mode), 0 when the host is as the revert wanted.
   */
  readonly status?: number;
  /** When the revert ended, seconds since the epoch (the host's clock). */
  readonly firedAt?: number;
  /** Lines that found their object already as wanted (a delete of an absent one, say). */
  readonly already?: number;
}

/** "alice@laptop (pid 4242, run 3f2a91c0) since 2026-11-29T20:50:00.000Z": for messages. */
export const describeRevertOwner = (revert: ArmedRevert): string =>
  `${revert.user}@${revert.controller} (pid ${revert.pid}, run ${revert.run}) since ${revert.since}`;

/** "07:12:05 UTC": a time of day in messages (seconds since the epoch). */
export const describeClockTime = (seconds: number): string =>
  `${new Date(seconds * 1000).toISOString().slice(11, 19)} UTC`;

/**
 * "fires at 07:12:05 UTC (in 12 s)", "is firing now", or "is dead (its process is gone); it will
 * not fire": when an armed revert goes off, for messages. Without the host's clock (`now`),
 * the time alone, in the host's clock.
 */
export function describeRevertFiring(revert: ArmedRevert): string {
  if (revert.timer === "dead") return "is dead (its process is gone); it will not fire";
  if (revert.firing === true) return "is firing now (its revert runs)";
  const at = `fires at ${describeClockTime(revert.fires)}`;
  if (revert.now === undefined) return `${at} (host clock)`;
  return revert.fires > revert.now ? `${at} (in ${revert.fires - revert.now} s)` : "is firing now";
}

/**
 * "the confirm-timeout revert of run 3f2a91c0 fired at 07:12:05 UTC and restored the state
 * before that run (every line ran; 3 found their object already as wanted)", or "... and
 * failed: 2 lines failed (see /run/netplan-k/revert/revert.log on the host)": a revert that
 * ran, for the run after it. Undefined while it has not ended.
 */
export function describeRevertFired(revert: ArmedRevert): string | undefined {
  if (revert.status === undefined) return undefined;
  const at = `fired at ${describeClockTime(revert.firedAt ?? revert.fires)}`;
  const head = `the confirm-timeout revert of run ${revert.run} (armed by ${revert.user}@${revert.controller}) ${at}`;
  if (revert.status === 0) {
    const already =
      revert.already === undefined || revert.already === 0
        ? "every line ran"
        : `every line ran or found its object already as wanted (${revert.already})`;
    return `${head} and restored the state before that run (${already})`;
  }
  return (
    `${head} and failed: ${revert.status} ${revert.status === 1 ? "line" : "lines"} of it failed ` +
    `(see ${REVERT_DIR}/revert.log on the host); the host may hold part of that run's change`
  );
}
