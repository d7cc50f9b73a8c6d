import { spawn } from "node:child_process";
import { mkdir, open, readFile, rm, writeFile } from "node:fs/promises";
import type { LabNode } from "./lab-layout.js";
import { LabError } from "./lab-error.js";
import type { LabPaths } from "./lab-paths.js";
import { publishMountNamespace } from "./mounts.js";
import {
  namespaceInode,
  processName,
  processNamespaceInode,
  findRecordedProcess,
  waitFor,
} from "./processes.js";

/**
 * Every lab host has an anchor: a long-lived process in the host's network namespace that holds
 * the host's private mount and UTS namespaces. All lab hosts would otherwise share one
 * /run/netns, so `ip netns add red` on a second host fails with "File exists" (LAB-NOTES).
 * Whatever enters the published mount namespace (the netns transport, sshd and its sessions)
 * sees the host's own /run, /root and /etc/bird.
 */

/**
 * Run by `ip netns exec <ns> unshare --mount --uts --propagation private`, with
 * $1 state dir, $2 host dir, $3 host name, $4 directory of published mount namespaces.
 * - The copied mount table holds every other namespace's file (/run/netns/*, published mount
 *   namespaces): left there, they would keep those namespaces alive as long as this host lives,
 *   so they are detached first.
 * - The tmpfs over /run hides the state dir when it lies under /run; the working directory
 *   still reaches the hidden directory, and `--no-canonicalize` keeps mount from resolving "."
 *   to the new, empty path.
 * - The last line is the signal that setup is done: the process becomes `sleep`.
 */
const ANCHOR_SCRIPT = `set -eu
state=$1 host_dir=$2 host_name=$3 mntns_dir=$4
for dir in /run/netns "$mntns_dir"; do
  if mountpoint -q "$dir"; then umount --recursive --lazy "$dir"; fi
done
cd "$state"
mount --bind "$host_dir/root" /root
if [ -d /etc/bird ]; then mount --bind "$host_dir/etc-bird" /etc/bird; fi
mount -t tmpfs -o mode=0755 netplan-k-lab /run
mkdir -p /run/netns /run/sshd /run/bird
case $state in /run/*) mkdir -p "$state"; mount --no-canonicalize --bind . "$state" ;; esac
cd /
printf '%s' "$host_name" > /proc/sys/kernel/hostname
exec sleep infinity
`;

const ANCHOR_PROCESS = "sleep";

/** The anchor's pid when its process lives in the host's network namespace, else undefined. */
export const findAnchor = (node: LabNode, paths: LabPaths): Promise<number | undefined> =>
  findRecordedProcess(paths.anchorPidFile(node.name), ANCHOR_PROCESS, node.namespace);

/** True when the published file is the anchor's mount namespace. */
export async function isAnchorPublished(
  node: LabNode,
  pid: number,
  paths: LabPaths,
): Promise<boolean> {
  const published = await namespaceInode(paths.mntnsFile(node.namespace));
  return published !== undefined && published === (await processNamespaceInode(pid, "mnt"));
}

/** Keeps a living anchor, or starts one; then publishes its mount namespace. Returns its pid. */
export async function ensureAnchor(node: LabNode, paths: LabPaths): Promise<number> {
  const pid = (await findAnchor(node, paths)) ?? (await startAnchor(node, paths));
  await publishMountNamespace(pid, paths.mntnsFile(node.namespace), paths.mntnsDir);
  return pid;
}

async function startAnchor(node: LabNode, paths: LabPaths): Promise<number> {
  await mkdir(paths.homeDir(node.name), { recursive: true });
  await mkdir(paths.birdDir(node.name), { recursive: true });
  const log = await open(paths.anchorLog(node.name), "w");
  const child = spawn(
    "ip",
    [
      ...["netns", "exec", node.namespace],
      ...["unshare", "--mount", "--uts", "--propagation", "private", "--"],
      ...["/bin/sh", "-c", ANCHOR_SCRIPT, "netplan-k-lab-anchor"],
      ...[paths.stateDir, paths.hostDir(node.name), node.name, paths.mntnsDir],
    ],
    { detached: true, stdio: ["ignore", "ignore", log.fd] },
  );
  // A failure to start shows as an anchor that never becomes ready, reported below.
  child.on("error", () => undefined);
  // The child holds its own copy of the descriptor from here on.
  await log.close();
  // The anchor outlives this process: neither its handle nor its exit may keep node running.
  child.unref();
  const pid = child.pid;
  if (pid === undefined)
    throw new LabError(`${node.name}: could not start the lab host's anchor process`);
  await writeFile(paths.anchorPidFile(node.name), `${pid}\n`);
  const ready = await waitFor(async () => (await processName(pid)) === ANCHOR_PROCESS, 5000);
  if (!ready) {
    const output = (await readFile(paths.anchorLog(node.name), "utf8").catch(() => "")).trim();
    await rm(paths.anchorPidFile(node.name), { force: true });
    throw new LabError(
      `${node.name}: the lab host's anchor did not come up in namespace ${node.namespace}: ${output || "no output"} (log: ${paths.anchorLog(node.name)})`,
    );
  }
  return pid;
}
