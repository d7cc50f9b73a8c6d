/** Where a confirm-timeout revert lives on every host (a tmpfs: a reboot ends it). */
export const REVERT_DIR = "/run/netplan-k/revert";

/**
 * A confirm-timeout revert armed on a host (applier/armed-revert-script.ts), as its record
 * file says: who armed it and when it fires. Observed by every observation, so that a revert
 * left by a crashed run is never left ticking unseen.
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
  /** The revert's exit status, once it fired: 0 when every line of it ran. */
  readonly status?: number;
}

/** "alice@laptop (pid 4242, run 3f2a91c0) since 2026-11-29T20:50:00.000Z": for messages. */
export const describeRevertOwner = (revert: ArmedRevert): string =>
  `${revert.user}@${revert.controller} (pid ${revert.pid}, run ${revert.run}) since ${revert.since}`;

/** "fires in 12 s" or "fires at 2026-…Z (host clock)": when it goes off, for messages. */
export const describeRevertFiring = (revert: ArmedRevert): string =>
  revert.now === undefined
    ? `fires at ${new Date(revert.fires * 1000).toISOString()} (host clock)`
    : revert.fires > revert.now
      ? `fires in ${revert.fires - revert.now} s`
      : "is firing now";
