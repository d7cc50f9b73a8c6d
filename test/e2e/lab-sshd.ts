import { execa } from "execa";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { labStateDir } from "./lab-scenario.js";

/**
 * Breaking one lab host's sshd on purpose, through the lab's own files (src/lab/sshd.ts and
 * lab-paths.ts): its pid is in hosts/<host>/sshd.pid, its anchor's in hosts/<host>/anchor.pid,
 * the shared sshd_config in ssh/. `netplan-k lab up` starts a stopped sshd again.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const hostFile = (prefix: string, host: string, name: string): string =>
  join(labStateDir(prefix), "hosts", host, name);

async function readPid(file: string): Promise<number> {
  const pid = Number((await readFile(file, "utf8")).trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${file} holds no pid`);
  return pid;
}

async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3));
  } catch {
    return false;
  }
}

/** Stops the host's sshd (SIGTERM to the pid the lab recorded) and waits until it is gone. */
export async function stopSshd(prefix: string, host: string): Promise<void> {
  const pid = await readPid(hostFile(prefix, host, "sshd.pid"));
  process.kill(pid, "SIGTERM");
  for (let waited = 0; await isRunning(pid); waited += 20) {
    if (waited > 5000) throw new Error(`sshd ${pid} of ${prefix}/${host} survived SIGTERM`);
    await sleep(20);
  }
}

/**
 * Replaces the host's sshd with one whose configuration is the lab's, edited: started the way
 * the lab starts it (inside the anchor's network, mount and UTS namespaces), recording its pid
 * where the lab looks, so `stopSshd` and `lab down` find it.
 */
export async function restartSshdWith(
  prefix: string,
  host: string,
  address: string,
  dir: string,
  edit: (config: string) => string,
): Promise<void> {
  await stopSshd(prefix, host);
  const config = join(dir, `sshd_config.${host}`);
  await writeFile(
    config,
    edit(await readFile(join(labStateDir(prefix), "ssh", "sshd_config"), "utf8")),
  );
  const pidFile = hostFile(prefix, host, "sshd.pid");
  await writeFile(pidFile, "");
  const anchor = await readPid(hostFile(prefix, host, "anchor.pid"));
  await execa("nsenter", [
    ...["-t", String(anchor), "--net", "--mount", "--uts", "--"],
    ...["/usr/sbin/sshd", "-f", config, "-E", join(dir, `sshd.${host}.log`)],
    ...["-o", `ListenAddress=${address}`, "-o", `PidFile=${pidFile}`],
  ]);
  for (let waited = 0; (await readFile(pidFile, "utf8")).trim() === ""; waited += 20) {
    if (waited > 5000) throw new Error(`the altered sshd of ${prefix}/${host} did not start`);
    await sleep(20);
  }
}

/** An sshd_config line replaced: "AuthorizedKeysFile /x" for "AuthorizedKeysFile …". */
export const replaceSetting = (config: string, keyword: string, value: string): string => {
  const pattern = new RegExp(`^${keyword} .*$`, "m");
  if (!pattern.test(config)) throw new Error(`the lab's sshd_config has no ${keyword} line`);
  return config.replace(pattern, `${keyword} ${value}`);
};
