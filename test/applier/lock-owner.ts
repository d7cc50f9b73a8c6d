import type { LockOwner } from "../../src/applier/host-lock-script.js";

/** A run holding a host's lock, for tests that render a script's lock section. */
export const TEST_LOCK_OWNER: LockOwner = {
  run: "r1",
  user: "tester",
  controller: "box",
  pid: 42,
  since: "2026-11-30T00:00:00.000Z",
  verb: "apply",
};
