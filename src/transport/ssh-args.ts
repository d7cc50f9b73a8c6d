import type { ResolvedTransport } from "../topology/topology.js";

/** Where and as whom to connect: the topology's ssh transport with defaults applied. */
export type SshTarget = Extract<ResolvedTransport, { kind: "ssh" }>;

export interface SshTransportOptions {
  /** `-F file`: read this file instead of ~/.ssh/config (labs generate one; tests need one). */
  readonly sshConfigFile?: string;
  /**
   * Trust a host seen for the first time and record its key (StrictHostKeyChecking=accept-new).
   * Off by default: the user's own ssh configuration decides. A changed key is refused anyway.
   */
  readonly acceptNewHostKeys?: boolean;
  /** ConnectTimeout, in seconds (default 10). Does not bound a ProxyCommand's own connect. */
  readonly connectTimeoutSeconds?: number;
  /** How long an idle master connection stays open after the last command (default 60). */
  readonly controlPersistSeconds?: number;
  /** Parent of the private control socket directory (default: the OS temp dir, or /tmp). */
  readonly controlDirParent?: string;
}

/**
 * The ssh options for one target, without destination or command. Only what netplan-k needs
 * is forced; everything else (ciphers, agent, ProxyCommand, known_hosts…) comes from the
 * user's ssh configuration, as `ssh host` at a terminal would use it.
 */
export function sshConnectionArgs(
  target: SshTarget,
  options: SshTransportOptions,
  controlPath: string,
): readonly string[] {
  return [
    ...(options.sshConfigFile === undefined ? [] : ["-F", options.sshConfigFile]),
    // No prompt can be answered: fail instead of waiting for a password or a host key "yes".
    "-o",
    "BatchMode=yes",
    // One TCP connection and handshake per host, then 8–13 ms per command (LAB-NOTES.md).
    "-o",
    "ControlMaster=auto",
    "-o",
    `ControlPersist=${options.controlPersistSeconds ?? 60}s`,
    "-o",
    `ControlPath=${controlPath}`,
    "-o",
    `ConnectTimeout=${options.connectTimeoutSeconds ?? 10}`,
    "-o",
    "ServerAliveInterval=15",
    // ssh's own notices ("Warning: Permanently added …") would otherwise land in the command's
    // stderr; errors, including every message classifySshFailure reads, are still printed.
    "-o",
    "LogLevel=ERROR",
    ...(options.acceptNewHostKeys === true ? ["-o", "StrictHostKeyChecking=accept-new"] : []),
    ...(target.port === undefined ? [] : ["-p", String(target.port)]),
    ...(target.user === undefined ? [] : ["-l", target.user]),
    ...(target.identityFile === undefined ? [] : ["-i", target.identityFile]),
    ...(target.proxyJump === undefined ? [] : ["-J", target.proxyJump]),
  ];
}
