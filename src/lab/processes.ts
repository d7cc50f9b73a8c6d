import { readFile, readlink, stat } from "node:fs/promises";
import { readdirSync } from "node:fs";

/** Processes of the lab: liveness, namespace membership, killing. Linux /proc only. */

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The process's state letter from /proc/<pid>/stat, undefined when it is gone. */
async function processState(pid: number): Promise<string | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // The command name in parentheses may contain spaces: the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return undefined;
  }
}

/** Alive means running or sleeping: a zombie has exited and only waits for its parent. */
export async function isAlive(pid: number): Promise<boolean> {
  const state = await processState(pid);
  return state !== undefined && state !== "Z" && state !== "X";
}

export async function processName(pid: number): Promise<string | undefined> {
  try {
    return (await readFile(`/proc/${pid}/comm`, "utf8")).trim();
  } catch {
    return undefined;
  }
}

/** Inode of a namespace file (a /run/netns entry, a published mount namespace, /proc/<pid>/ns/*). */
export async function namespaceInode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).ino;
  } catch {
    return undefined;
  }
}

/** Inode of one of the process's namespaces ("net", "mnt"), from the link "net:[4026532177]". */
export async function processNamespaceInode(
  pid: number,
  kind: "net" | "mnt",
): Promise<number | undefined> {
  try {
    const match = /\[(\d+)\]/.exec(await readlink(`/proc/${pid}/ns/${kind}`));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Every process whose mount namespace is the given one (a lab host's sessions and daemons). */
export async function processesInMountNamespace(inode: number): Promise<readonly number[]> {
  const pids = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number);
  const inodes = await Promise.all(pids.map((pid) => processNamespaceInode(pid, "mnt")));
  return pids.filter((_, index) => inodes[index] === inode);
}

/** SIGKILL each process and wait until none is alive (they may be zombies of another parent). */
export async function killAndWait(
  pids: readonly number[],
  timeoutMs = 5000,
): Promise<readonly number[]> {
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  const deadline = Date.now() + timeoutMs;
  let remaining = pids;
  while (remaining.length > 0 && Date.now() < deadline) {
    const alive = await Promise.all(remaining.map(isAlive));
    remaining = remaining.filter((_, index) => alive[index]);
    if (remaining.length > 0) await sleep(10);
  }
  return remaining;
}

/** Polls until the check holds; false when the time runs out. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(10);
  }
}

export async function readPidFile(path: string): Promise<number | undefined> {
  try {
    const pid = Number((await readFile(path, "utf8")).trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The pid recorded in a pid file when that process still runs under the expected name inside
 * the namespace's network namespace; undefined for a stale file (the pid may have been reused).
 */
export async function findRecordedProcess(
  pidFile: string,
  name: string,
  netnsName: string,
): Promise<number | undefined> {
  const pid = await readPidFile(pidFile);
  if (pid === undefined || !(await isAlive(pid)) || (await processName(pid)) !== name) {
    return undefined;
  }
  const netns = await namespaceInode(`/run/netns/${netnsName}`);
  return netns !== undefined && (await processNamespaceInode(pid, "net")) === netns
    ? pid
    : undefined;
}
