import { describeLockOwner, type LockOwner } from "../../applier/host-lock-script.js";
import { newLockOwner } from "../../applier/host-lock.js";
import { unlockHost, type UnlockResult } from "../../applier/unlock-host.js";
import { CliError } from "../cli-error.js";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "../host-transports.js";
import { limitHostNames } from "../limit-hosts.js";
import { loadValidTopology } from "../load-valid-topology.js";
import type { Output } from "../output.js";

export interface UnlockOptions extends ConnectionOptions {
  readonly limit?: string;
  readonly force: boolean;
}

/**
 * `netplan-k unlock <topology> --limit HOST [--force]`: shows who holds the lock of each named
 * host, and removes it when it is stale (its lease ran out, or its owner was a process of this
 * machine that is gone) or with --force. Exit 0 when no named host is locked any more, 1 when
 * one still is or could not be reached.
 */
export async function runUnlock(
  file: string,
  options: UnlockOptions,
  output: Output,
): Promise<number> {
  if (options.limit === undefined) {
    throw new CliError(
      "unlock needs --limit: name the hosts whose lock to look at",
      "Run netplan-k unlock TOPOLOGY --limit node-1 (several: --limit node-1,node-2).",
    );
  }
  const topology = await loadValidTopology(file, output);
  if (topology === undefined) return EXIT_ERROR;
  const hosts = limitHostNames(
    topology.hosts.map((h) => h.name),
    options.limit,
  );
  const self = newLockOwner("unlock");
  const transports = openHostTransports(topology, hosts, options);
  try {
    const results = await Promise.allSettled(
      hosts.map(async (host) => {
        const transport = transports.get(host);
        if (transport === undefined) throw new Error(`${host}: no transport was opened`);
        return unlockHost(transport, self, options.force);
      }),
    );
    let status = EXIT_OK;
    for (const [index, result] of results.entries()) {
      const host = hosts[index] ?? "?";
      if (result.status === "rejected") {
        output.err(`✗ ${(result.reason as Error).message}`);
        status = EXIT_ERROR;
        continue;
      }
      output.out(describeUnlock(host, result.value));
      if (result.value.kind === "held") status = EXIT_ERROR;
    }
    return status;
  } finally {
    await closeAll(transports);
  }
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
