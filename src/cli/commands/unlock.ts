import { describeLockOwner, type LockOwner } from "../../applier/host-lock-script.js";
import { newLockOwner } from "../../applier/host-lock.js";
import { unlockHost, type UnlockResult } from "../../applier/unlock-host.js";
import { CliError } from "../cli-error.js";
import { actOnNamedHosts, type NamedHostsOptions } from "./act-on-named-hosts.js";
import type { Output } from "../output.js";

export interface UnlockOptions extends NamedHostsOptions {
  readonly force: boolean;
}

/**
 * `netplan-k unlock <topology> [--limit HOSTS] [--force]`: shows who holds the lock of each
 * named host (every host of the topology without --limit), and removes it when it is stale
 * (its lease ran out, or its owner was a process of this machine that is gone) or with
 * --force. Exit 0 when no such host is locked any more, 1 when one still is or could not be
 * reached. Throws a CliError, before any host is contacted, for --force without --limit: a
 * forced removal is for hosts one names, never for a whole cluster at once.
 */
export function runUnlock(file: string, options: UnlockOptions, output: Output): Promise<number> {
  if (options.force && options.limit === undefined) {
    throw new CliError(
      "unlock --force needs --limit: it removes locks of runs that may still be changing their hosts",
      `Run "netplan-k unlock ${file}" first to see who holds which host, then "netplan-k unlock ${file} --limit HOST --force" for the hosts whose run you know is gone.`,
    );
  }
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
