import type { SshTarget } from "./ssh-args.js";
import { TransportError } from "./transport-error.js";

/**
 * ssh exits 255 both when it fails itself and when the remote command exits 255; only its
 * stderr tells them apart. These are the messages of OpenSSH's client (checked against 9.2p1),
 * in the order they must be tested: a changed key also prints "Host key verification failed".
 * Returns undefined when stderr holds none of them: the exit came from the remote command.
 */
export function classifySshFailure(
  host: string,
  target: SshTarget,
  stderr: string,
  cause: unknown,
): TransportError | undefined {
  const lines = stderr.split(/\r?\n/).map((line) => line.trim());
  const lineMatching = (pattern: RegExp) => lines.find((line) => pattern.test(line));
  const where = target.port === undefined ? target.host : `${target.host} port ${target.port}`;

  if (lineMatching(/REMOTE HOST IDENTIFICATION HAS CHANGED|^Host key for .* has changed/)) {
    return new TransportError(
      "transport.host-key-mismatch",
      host,
      `the host key of ${target.host} changed since it was recorded in known_hosts; ` +
        `if the host was reinstalled, remove the old key with ssh-keygen -R ${knownHostsName(target)}`,
      { cause },
    );
  }
  if (lineMatching(/^Host key verification failed/)) {
    const portOption = target.port === undefined ? "" : `-p ${target.port} `;
    return new TransportError(
      "transport.host-key-unknown",
      host,
      `the host key of ${where} is not in known_hosts, and ssh in batch mode cannot ask; ` +
        `connect once with ssh ${portOption}${target.host}, compare the fingerprint and accept it, ` +
        "or let netplan-k trust hosts on first use (acceptNewHostKeys)",
      { cause },
    );
  }
  const denied = lineMatching(/Permission denied \(|Too many authentication failures/);
  if (denied !== undefined) {
    return new TransportError(
      "transport.auth-failed",
      host,
      `${where} refused the login as ${target.user ?? "the configured user"} (${denied}); ` +
        "check user and identityFile in the host's transport, that the key is loaded in " +
        "ssh-agent, and that its public key is in the host's authorized_keys",
      { cause },
    );
  }
  const unreachable = lineMatching(
    /Connection refused|No route to host|Connection timed out|Could not resolve|Network is unreachable|Connection closed by|Connection reset by|kex_exchange_identification|not responding|client_loop:/,
  );
  if (unreachable !== undefined) {
    return new TransportError(
      "transport.unreachable",
      host,
      `cannot reach ${where} over ssh (${unreachable}); check that the host is up, that the ` +
        "address and port are right, and that sshd runs there",
      { cause },
    );
  }
  return undefined;
}

/** How known_hosts names the target: a non-default port makes it `[host]:port`. */
function knownHostsName(target: SshTarget): string {
  return target.port === undefined || target.port === 22
    ? target.host
    : `'[${target.host}]:${target.port}'`;
}
