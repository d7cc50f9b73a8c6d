import { access } from "node:fs/promises";
import { join } from "node:path";
import { requireCommand } from "./require-command.js";
import { runSubprocess } from "./run-subprocess.js";
import type { Transport } from "./transport.js";
import { TransportError } from "./transport-error.js";

/**
 * A host that is a network namespace on this machine (labs, tests).
 *
 * Plain case: `ip netns exec <name> argv…`.
 *
 * Private mount namespace convention (agreed with src/lab): a lab host whose processes run
 * with their own mount namespace (a private /run, so its workloads' `ip netns add red` do not
 * collide with another host's `red`) is recorded by the lab as a bind mount of that mount
 * namespace at `<mountNamespaceDir>/<name>` (default /run/netplan-k/mntns/<name>), e.g.
 *   touch /run/netplan-k/mntns/nk-a && mount --bind /proc/<anchor pid>/ns/mnt /run/netplan-k/mntns/nk-a
 * and removed (umount, rm) when the host is torn down. When that file exists, commands run as
 *   nsenter --net=/run/netns/<name> --mount=<mountNamespaceDir>/<name> -- argv…
 * so that `ip netns` inside sees the lab host's own /run/netns. `ip netns exec` cannot be used
 * there: it would enter the network namespace but keep this machine's mount namespace. Unlike
 * `ip netns exec`, nsenter does not remount /sys nor bind /etc/netns/<name>: the lab's mount
 * namespace already carries its own /sys, and netplan-k reads sysctls from /proc/sys, which
 * follows the network namespace.
 */
export const defaultMountNamespaceDir = "/run/netplan-k/mntns";

/** Where `ip netns add` keeps its namespaces (iproute2's NETNS_RUN_DIR). */
const netnsRunDir = "/run/netns";

export interface NetnsTransportOptions {
  /** Directory of the lab's mount namespace anchors; tests point it elsewhere. */
  readonly mountNamespaceDir?: string;
}

/** The process argv that runs `argv` inside the namespace, with or without its mount namespace. */
export function netnsCommand(
  netns: string,
  argv: readonly string[],
  mountNamespaceFile: string | undefined,
): readonly string[] {
  return mountNamespaceFile === undefined
    ? ["ip", "netns", "exec", netns, ...argv]
    : [
        "nsenter",
        `--net=${join(netnsRunDir, netns)}`,
        `--mount=${mountNamespaceFile}`,
        "--",
        ...argv,
      ];
}

export function createNetnsTransport(
  host: string,
  netns: string,
  options: NetnsTransportOptions = {},
): Transport {
  const mountNamespaceFile = join(options.mountNamespaceDir ?? defaultMountNamespaceDir, netns);
  return {
    host,
    async run(argv, runOptions = {}) {
      requireCommand(argv);
      // Checked on every run, not once: the lab may build or remove the host in between.
      const [netnsExists, hasPrivateMounts] = await Promise.all([
        exists(join(netnsRunDir, netns)),
        exists(mountNamespaceFile),
      ]);
      if (!netnsExists) {
        throw new TransportError(
          "transport.unreachable",
          host,
          `network namespace ${netns} does not exist (no ${join(netnsRunDir, netns)}); ` +
            `check transport.name in the topology, or build the lab with "netplan-k lab up"`,
        );
      }
      return runSubprocess(
        {
          host,
          argv: netnsCommand(netns, argv, hasPrivateMounts ? mountNamespaceFile : undefined),
          label: `"${argv.join(" ")}" in network namespace ${netns}`,
        },
        runOptions,
      );
    },
    async close() {},
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
