import { describeLockOwner, type LockOwner } from "../../applier/host-lock-script.js";
import { newLockOwner } from "../../applier/host-lock.js";
import { unlockHost, type UnlockResult } from "../../applier/unlock-host.js";
import { actOnNamedHosts, type NamedHostsOptions } from "./act-on-named-hosts.js";
import type { Output } from "../output.js";

export interface UnlockOptions extends NamedHostsOptions {
  readonly force: boolean;
}

/**
 * `netplan-k unlock <topology> --limit HOST [--force]`: shows who holds the lock of each named
 * host, and removes it when it is stale (its lease ran out, or its owner was a process of this
 * machine that is gone) or with --force. Exit 0 when no named host is locked any more, 1 when
 * one still is or could not be reached.
 */
export function runUnlock(file: string, options: UnlockOptions, output: Output): Promise<number> {
  const self = newLockOwner("unlock");
  return actOnNamedHosts(
    file,
    options,
    output,
    (transport) => unlockHost(transport, self, options.force),
    (host, result) => ({ line: describeUnlock(host, result), failed: result.kind === "held" }),
  );
}

const ownerText = (owner: LockOwner | undefined): string =>
  owner === undefined
    ? "a run that wrote no owner file"
    : `${describeLockOwner(owner)} (run ${owner.run}, ${owner.verb})`;

const leaseText = (owner: LockOwner | undefined): string =>
  owner?.expires === undefined
    ? ""
    : `; its lease runs out at ${new Date(owner.expires * 1000).toISOString()}`;

/** One line per host: what was found and what was done. */
function describeUnlock(host: string, result: UnlockResult): string {
  switch (result.kind) {
    case "none":
      return `${host}: not locked`;
    case "removed":
      return `${host}: removed the lock of ${ownerText(result.owner)}: ${
        result.why === "stale"
          ? "its lease had run out"
          : result.why === "dead"
            ? "its process no longer exists on this machine"
            : "--force"
      }`;
    case "held":
      return (
        `${host}: locked by ${ownerText(result.owner)}${leaseText(result.owner)}; left in place, ` +
        "as that run may still be changing the host. If you know it is gone (its machine " +
        "crashed or lost the host), run again with --force."
      );
  }
}
