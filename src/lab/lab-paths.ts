import { join } from "node:path";
import type { Transport } from "../transport/transport.js";
import { LabError } from "./lab-error.js";

/** Where a lab keeps its files. Everything lives under the state dir, removed by lab down. */

export const DEFAULT_STATE_ROOT = "/run/netplan-k/lab";
/**
 * Where each lab host's mount namespace is published, as `<dir>/<namespace>`: the netns
 * transport runs `nsenter --net=/run/netns/<ns> --mount=<dir>/<ns> -- argv`.
 */
export const DEFAULT_MNTNS_DIR = "/run/netplan-k/mntns";

export interface LabOptions {
  /** Default `/run/netplan-k/lab/<prefix>`. Must not lie under /root (lab hosts replace it). */
  readonly stateDir?: string;
  /** Default `/run/netplan-k/mntns`. */
  readonly mntnsDir?: string;
  /** Progress, one line per step ("fabric", "host node-1", ...). */
  readonly onEvent?: (message: string) => void;
  /**
   * How fabric commands reach this machine; default a local transport (openLabMachine). Tests
   * pass one that records or fails.
   */
  readonly machine?: Transport;
}

export interface LabPaths {
  readonly stateDir: string;
  readonly mntnsDir: string;
  readonly hostDir: (host: string) => string;
  /** Bound over /root in the lab host: its own $HOME, without the machine's slow .bashrc. */
  readonly homeDir: (host: string) => string;
  /** Bound over /etc/bird in the lab host, so every host has its own BIRD configuration. */
  readonly birdDir: (host: string) => string;
  readonly anchorPidFile: (host: string) => string;
  readonly anchorLog: (host: string) => string;
  readonly sshdPidFile: (host: string) => string;
  readonly sshdLog: (host: string) => string;
  readonly mntnsFile: (namespace: string) => string;
  /** A guest's QEMU pid file and serial console log. */
  readonly guestPidFile: (host: string) => string;
  readonly guestConsoleLog: (host: string) => string;
  /** Stage 2 of every guest's boot, run from the state dir shared into the guest. */
  readonly guestInit: string;
  /** The directory of a lab host's files, one per host: lab down finds guests there. */
  readonly hostsDir: string;
  readonly hostKey: string;
  readonly clientKey: string;
  readonly authorizedKeys: string;
  readonly knownHosts: string;
  readonly sshdConfig: string;
  readonly sshConfig: string;
  readonly connector: string;
}

/**
 * Paths end up in ssh_config lines and in ProxyCommand, which a shell reads: allow only
 * characters that need no quoting there.
 */
const SAFE_PATH = /^\/[A-Za-z0-9_.\/-]*$/;

function checkPath(path: string, what: string): string {
  if (!SAFE_PATH.test(path) || path.split("/").includes("..")) {
    throw new LabError(
      `lab ${what} "${path}" is not usable: give an absolute path of letters, digits, '.', '_', '-' and '/'`,
    );
  }
  if (path === "/root" || path.startsWith("/root/")) {
    throw new LabError(
      `lab ${what} "${path}" lies under /root, which every lab host replaces: choose another`,
    );
  }
  return path.replace(/\/+$/, "");
}

export function labPaths(prefix: string, options: LabOptions = {}): LabPaths {
  const stateDir = checkPath(options.stateDir ?? join(DEFAULT_STATE_ROOT, prefix), "state dir");
  const mntnsDir = checkPath(options.mntnsDir ?? DEFAULT_MNTNS_DIR, "mount namespace dir");
  const hostDir = (host: string): string => join(stateDir, "hosts", host);
  const ssh = join(stateDir, "ssh");
  return {
    stateDir,
    mntnsDir,
    hostDir,
    homeDir: (host) => join(hostDir(host), "root"),
    birdDir: (host) => join(hostDir(host), "etc-bird"),
    anchorPidFile: (host) => join(hostDir(host), "anchor.pid"),
    anchorLog: (host) => join(hostDir(host), "anchor.log"),
    sshdPidFile: (host) => join(hostDir(host), "sshd.pid"),
    sshdLog: (host) => join(hostDir(host), "sshd.log"),
    mntnsFile: (namespace) => join(mntnsDir, namespace),
    guestPidFile: (host) => join(hostDir(host), "qemu.pid"),
    guestConsoleLog: (host) => join(hostDir(host), "console.log"),
    guestInit: join(stateDir, "guest-init.sh"),
    hostsDir: join(stateDir, "hosts"),
    hostKey: join(ssh, "ssh_host_ed25519_key"),
    clientKey: join(ssh, "id_ed25519"),
    authorizedKeys: join(ssh, "authorized_keys"),
    knownHosts: join(ssh, "known_hosts"),
    sshdConfig: join(ssh, "sshd_config"),
    sshConfig: join(stateDir, "ssh_config"),
    connector: join(stateDir, "tcp-connect.mjs"),
  };
}
