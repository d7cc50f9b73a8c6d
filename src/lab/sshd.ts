import { access, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { LabLayout, LabNode } from "./lab-layout.js";
import { LabError } from "./lab-error.js";
import { labMarker } from "./lab-names.js";
import type { LabPaths } from "./lab-paths.js";
import { findRecordedProcess, killAndWait, readPidFile, waitFor } from "./processes.js";
import { runCommand, tryCommand } from "./run-command.js";
import { TCP_CONNECTOR_SCRIPT } from "./tcp-connector.js";
import { findTcpRelay } from "./tcp-relay.js";
import { parseIpv4Interface } from "./ipv4.js";

/**
 * One sshd per lab host, listening on the host's underlay address only, root login by key only.
 * The client reaches it without any address in the root namespace: ssh's ProxyCommand opens
 * the TCP stream from the lab's controller namespace (a namespace on the first segment with a
 * free address and routes to the other segments, like a jump host on the hosts' LAN).
 */

const SSHD = "/usr/sbin/sshd";

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

async function ensureKey(path: string, prefix: string): Promise<string> {
  if (!(await exists(path))) {
    await mkdir(dirname(path), { recursive: true });
    await runCommand([
      "ssh-keygen",
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-C",
      labMarker(prefix),
      "-f",
      path,
    ]);
  }
  return (await readFile(`${path}.pub`, "utf8")).trim();
}

/**
 * A wildcard covering a subnet, for known_hosts: octets fixed by the prefix, "*" for the rest
 * (a superset for prefixes that are not multiples of 8, which is harmless: the file is the lab's).
 */
export function subnetWildcard(subnet: string): string {
  const { address, prefix } = parseIpv4Interface(subnet);
  const fixed = Math.floor(prefix / 8);
  return fixed === 0 ? "*" : `${address.split(".").slice(0, fixed).join(".")}.*`;
}

function renderSshdConfig(paths: LabPaths): string {
  return [
    `# netplan-k lab sshd; ListenAddress and PidFile come per host on the command line`,
    `HostKey ${paths.hostKey}`,
    `AuthorizedKeysFile ${paths.authorizedKeys}`,
    "PermitRootLogin prohibit-password",
    "PubkeyAuthentication yes",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    // The state dir's permissions are the lab's business, not sshd's.
    "StrictModes no",
    // Parallel plans open a connection per host at once.
    "MaxStartups 100:30:200",
    "PrintMotd no",
    "Subsystem sftp internal-sftp",
    "",
  ].join("\n");
}

/** The lab's ssh_config: every host by name and address; `relay` is findTcpRelay's argv. */
export function renderSshConfig(
  layout: LabLayout,
  paths: LabPaths,
  relay: readonly string[],
): string {
  const controller = layout.controller?.namespace ?? "";
  const lines = [
    `# netplan-k lab ${layout.prefix}: ssh -F ${paths.sshConfig} <host name or underlay address>`,
  ];
  for (const host of layout.hosts) {
    const address = host.attachments[0]?.address ?? "";
    lines.push(
      "",
      `Host ${host.name} ${address}`,
      `  HostName ${address}`,
      "  User root",
      `  IdentityFile ${paths.clientKey}`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${paths.knownHosts}`,
      "  GlobalKnownHostsFile /dev/null",
      "  StrictHostKeyChecking yes",
      "  BatchMode yes",
      "  ConnectTimeout 5",
      // The cheapest key exchange: a handshake costs CPU, and labs open many (LAB-NOTES).
      "  KexAlgorithms curve25519-sha256",
      "  LogLevel ERROR",
      `  ProxyCommand nsenter --net=/run/netns/${controller} -- ${relay.join(" ")} %h %p`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** Keys (made once, kept in the state dir), sshd_config, known_hosts, ssh_config, and the
 *  connector script when the relay is node's (findTcpRelay). */
export async function writeSshFiles(layout: LabLayout, paths: LabPaths): Promise<void> {
  const hostKey = await ensureKey(paths.hostKey, layout.prefix);
  const clientKey = await ensureKey(paths.clientKey, layout.prefix);
  const patterns = [
    ...new Set(
      layout.hosts.map((host) => subnetWildcard(host.attachments[0]?.segment.subnet ?? "")),
    ),
  ];
  await writeFile(paths.authorizedKeys, `${clientKey}\n`);
  await writeFile(paths.knownHosts, `${patterns.join(",")} ${hostKey}\n`);
  await writeFile(paths.sshdConfig, renderSshdConfig(paths));
  const relay = await findTcpRelay(paths.connector);
  if (relay.includes(paths.connector)) await writeFile(paths.connector, TCP_CONNECTOR_SCRIPT);
  await writeFile(paths.sshConfig, renderSshConfig(layout, paths, relay));
}

/** The host's sshd pid when it runs in the host's network namespace, else undefined. */
const findSshd = (host: LabNode, paths: LabPaths): Promise<number | undefined> =>
  findRecordedProcess(paths.sshdPidFile(host.name), "sshd", host.namespace);

/**
 * The address a running sshd was told to listen on: its `-o ListenAddress=` argument, read
 * from /proc/<pid>/cmdline (the kernel's record of the argv it started with); undefined when
 * the process is gone or was started without one.
 */
async function listenAddressOf(pid: number): Promise<string | undefined> {
  const argv = (await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "")).split("\0");
  const option = argv.find((arg) => arg.startsWith("ListenAddress="));
  return option?.slice("ListenAddress=".length);
}

/**
 * Keeps a running sshd that listens on the host's underlay address, or starts one inside the
 * anchor's namespaces (network, mount, UTS), so every session sees the host's own /run and
 * hostname. An sshd listening on another address (the host was renumbered in the topology
 * since) is stopped and started again on the new one. sshd daemonises; its pid file appears
 * once it listens.
 */
export async function ensureSshd(
  host: LabNode,
  anchorPid: number,
  paths: LabPaths,
): Promise<number> {
  const address = host.attachments[0]?.address ?? "";
  const running = await findSshd(host, paths);
  if (running !== undefined) {
    if ((await listenAddressOf(running)) === address) return running;
    const left = await killAndWait([running]);
    if (left.length > 0) {
      throw new LabError(
        `${host.name}: sshd (pid ${running}) listens on an old address and did not stop: kill it, then run lab up again`,
      );
    }
  }
  const pidFile = paths.sshdPidFile(host.name);
  await rm(pidFile, { force: true });
  await runCommand([
    "nsenter",
    "-t",
    String(anchorPid),
    "--net",
    "--mount",
    "--uts",
    "--",
    SSHD,
    "-f",
    paths.sshdConfig,
    "-E",
    paths.sshdLog(host.name),
    "-o",
    `ListenAddress=${address}`,
    "-o",
    `PidFile=${pidFile}`,
  ]);
  const started = await waitFor(async () => (await readPidFile(pidFile)) !== undefined, 5000);
  const pid = started ? await findSshd(host, paths) : undefined;
  if (pid === undefined) {
    const log = (await readFile(paths.sshdLog(host.name), "utf8").catch(() => "")).trim();
    throw new LabError(
      `${host.name}: sshd did not start: ${log || "no output"} (log: ${paths.sshdLog(host.name)})`,
    );
  }
  return pid;
}

/** True when sshd greets a TCP connection from the controller namespace with its banner. */
export async function isSshdAnswering(
  layout: LabLayout,
  host: LabNode,
  paths: LabPaths,
): Promise<boolean> {
  if (!layout.controller) return false;
  const result = await tryCommand(
    [
      "nsenter",
      `--net=/run/netns/${layout.controller.namespace}`,
      "--",
      ...(await findTcpRelay(paths.connector)),
      host.attachments[0]?.address ?? "",
      "22",
    ],
    // Not 3 s: ten probes' node connectors starting at once under load 14 on 2 cores took
    // longer, and lab up called answering sshds silent (bench:apply at 10 hosts).
    { timeoutMs: 10_000 },
  );
  return result.stdout.startsWith("SSH-2.0-");
}
