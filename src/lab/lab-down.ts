import { rm } from "node:fs/promises";
import { LabError } from "./lab-error.js";
import { labPaths, type LabOptions } from "./lab-paths.js";
import { unpublishMountNamespace } from "./mounts.js";
import { isLabNamespace, listNamespaces } from "./namespaces.js";
import { killAndWait, namespaceInode, processesInMountNamespace } from "./processes.js";
import { runCommand } from "./run-command.js";
import { stopGuests } from "./guest.js";

/**
 * Removes every namespace of the lab: those named `<prefix>-*` whose lo carries the lab's
 * marker (a namespace with the prefix but without the marker is someone else's and stays).
 * Per namespace: kill its processes and those in the host's mount namespace (sessions may have
 * entered workload namespaces), unpublish the mount namespace, delete the network namespace.
 * With the last process gone the host's private /run and its workload namespaces go too.
 * Guests' QEMU processes are killed first; their taps live in the fabric namespace and go with
 * it. Then the state dir. Idempotent: a lab already gone is a no-op.
 */
export async function labDown(prefix: string, options: LabOptions = {}): Promise<void> {
  const paths = labPaths(prefix, options);
  const emit = options.onEvent ?? (() => undefined);
  // QEMU runs in the fabric namespace and would go with it; stopped first, and said so.
  const survivors = await stopGuests(paths);
  if (survivors.length > 0) {
    throw new LabError(
      `guests' QEMU processes ${survivors.join(", ")} survived SIGKILL; remove them, then run lab down again`,
    );
  }
  const candidates = (await listNamespaces()).filter((namespace) =>
    namespace.startsWith(`${prefix}-`),
  );
  for (const namespace of candidates) {
    if (!(await isLabNamespace(namespace, prefix))) {
      emit(`skipping ${namespace}: not made by lab ${prefix}`);
      continue;
    }
    emit(`removing ${namespace}`);
    const mntnsFile = paths.mntnsFile(namespace);
    const mountNamespace = await namespaceInode(mntnsFile);
    const inNetwork = (await runCommand(["ip", "netns", "pids", namespace]))
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
    await runCommand(["ip", "netns", "del", namespace]);
  }
  await rm(paths.stateDir, { recursive: true, force: true });
}
