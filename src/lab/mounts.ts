import { mkdir, readFile, readdir, rm, rmdir, writeFile } from "node:fs/promises";
import { runCommand } from "./run-command.js";
import { namespaceInode } from "./processes.js";

/** Publishing lab hosts' mount namespaces as files (bind mounts of /proc/<pid>/ns/mnt). */

/** Mount points from mountinfo, which escapes space, tab, newline and backslash as octal. */
export const parseMountPoints = (mountinfo: string): readonly string[] =>
  mountinfo
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) =>
      (line.split(" ")[4] ?? "").replace(/\\([0-7]{3})/g, (_, octal: string) =>
        String.fromCharCode(parseInt(octal, 8)),
      ),
    );

async function readMountPoints(): Promise<readonly string[]> {
  return parseMountPoints(await readFile("/proc/self/mountinfo", "utf8"));
}

/**
 * A mount namespace file can only be bind-mounted where propagation is not shared (on systemd
 * machines / is shared): make the directory a private mount of its own, as iproute2 does for
 * /run/netns (which it makes shared instead).
 */
async function ensurePrivateMountDir(dir: string): Promise<void> {
  if ((await readMountPoints()).includes(dir)) return;
  await mkdir(dir, { recursive: true });
  await runCommand(["mount", "--bind", dir, dir]);
  await runCommand(["mount", "--make-private", dir]);
}

/** Binds the process's mount namespace onto `file`; keeps a binding that already matches. */
export async function publishMountNamespace(pid: number, file: string, dir: string): Promise<void> {
  const source = `/proc/${pid}/ns/mnt`;
  if ((await namespaceInode(file)) === (await namespaceInode(source))) return;
  await ensurePrivateMountDir(dir);
  if ((await readMountPoints()).includes(file)) await runCommand(["umount", file]);
  await writeFile(file, "");
  await runCommand(["mount", "--bind", source, file]);
}

/** Unmounts and removes the file; then the directory's own mount when no lab uses it any more. */
export async function unpublishMountNamespace(file: string, dir: string): Promise<void> {
  const mounts = await readMountPoints();
  // A file can carry stacked bindings when an earlier lab up was interrupted: undo them all.
  for (let count = mounts.filter((m) => m === file).length; count > 0; count -= 1) {
    await runCommand(["umount", file]);
  }
  await rm(file, { force: true });
  const left = await readdir(dir).catch(() => undefined);
  if (left === undefined || left.length > 0) return;
  if ((await readMountPoints()).includes(dir)) await runCommand(["umount", dir]);
  await rmdir(dir).catch(() => undefined);
}
