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
 * disarmed (`netplan-k disarm`). Pure.
 */
export function armedRevertConflict(revert: ArmedRevert): Conflict {
  return makeConflict(
    "file",
    undefined,
    `${REVERT_DIR}/armed`,
    `a confirm-timeout revert is armed by ${describeRevertOwner(revert)}; it ` +
      `${describeRevertFiring(revert)} and puts back what that run changed; wait until it ` +
      "has fired, or disarm it (netplan-k disarm TOPOLOGY --limit HOST)",
  );
}
