import type { Transport } from "../transport/transport.js";
import { LabError } from "./lab-error.js";
import type { LabPaths } from "./lab-paths.js";
import { unpublishMountNamespace } from "./mounts.js";
import { killAndWait, namespaceInode, processesInMountNamespace } from "./processes.js";
import { runChecked } from "./run-checked.js";

/**
 * Removes one namespace the lab made: kills its processes and those in the host's mount
 * namespace (sessions may have entered workload namespaces), unpublishes the mount namespace,
 * deletes the network namespace. With the last process gone the host's private /run and its
 * workload namespaces go too. Throws a LabError when a process survives SIGKILL or a command
 * fails.
 */
export async function removeLabNamespace(
  machine: Transport,
  namespace: string,
  paths: LabPaths,
): Promise<void> {
  const mntnsFile = paths.mntnsFile(namespace);
  const mountNamespace = await namespaceInode(mntnsFile);
  const inNetwork = (await runChecked(machine, ["ip", "netns", "pids", namespace]))
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
  // The published file is a plain empty file (not a namespace) when it was never bound.
  const inMount =
    mountNamespace === undefined ? [] : await processesInMountNamespace(mountNamespace);
  const left = await killAndWait(
    [...new Set([...inNetwork, ...inMount])].filter((pid) => pid !== process.pid),
  );
  if (left.length > 0) {
    throw new LabError(
      `${namespace}: processes ${left.join(", ")} survived SIGKILL; remove them, then run lab down again`,
    );
  }
  await unpublishMountNamespace(mntnsFile, paths.mntnsDir);
  await runChecked(machine, ["ip", "netns", "del", namespace]);
}
