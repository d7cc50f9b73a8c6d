import {
  describeRevertFiring,
  describeRevertOwner,
  REVERT_DIR,
  type ArmedRevert,
} from "../model/index.js";
import { makeConflict } from "./make-change.js";
import type { Conflict } from "./plan.js";

/**
 * A confirm-timeout revert armed on a host (issue 11, point 3) is in the way of any plan for
 * it: when it fires it puts back what the run that armed it changed, so what is planned now
 * would be planned against a state about to change. Left by a crashed run, it must not tick
 * unseen: plan and apply name it, and apply refuses the host until it has fired or is
 * disarmed (`netplan-k disarm`). A revert whose timer is dead (killed, or a reboot of a host
 * whose /run survives) never fires: it is named as such, with the command that clears it. A
 * revert that has run is no conflict (undefined): the run reports it instead
 * (describeRevertFired). `host`: the host's name and `topologyFile` the topology file as the
 * user gave it, for the command. Pure.
 */
export function armedRevertConflict(
  revert: ArmedRevert,
  host: string,
  topologyFile: string,
): Conflict | undefined {
  if (revert.status !== undefined) return undefined;
  const disarm = `netplan-k disarm ${topologyFile} --limit ${host}`;
  const reason =
    revert.timer === "dead"
      ? `a confirm-timeout revert armed by ${describeRevertOwner(revert)} ` +
        `${describeRevertFiring(revert)}: ${disarm} clears it`
      : `a confirm-timeout revert is armed by ${describeRevertOwner(revert)}; it ` +
        `${describeRevertFiring(revert)} and restores the state before that run; wait until ` +
        `it has fired, or keep that run's change: ${disarm}`;
  return makeConflict("file", undefined, `${REVERT_DIR}/armed`, reason);
}
