import type { SshTarget } from "./ssh-args.js";
import { TransportError } from "./transport-error.js";

/**
 * With become: sudo every command runs as `sudo -n argv…`. When sudo itself refuses, it exits 1
 * and writes one of its own refusals (not the command's own output): the login worked but the privileges did
 * not, which is an auth failure for the caller, not a failed command.
 */
export function classifySudoFailure(
  host: string,
  target: SshTarget,
  exitCode: number,
  stderr: string,
  cause: unknown,
): TransportError | undefined {
  const refusal =
    /^(sudo: a password is required|sudo: a terminal is required|.* is not in the sudoers file|Sorry, user .* is not allowed to execute .*)/m.exec(
      stderr,
    );
  if (exitCode !== 1 || refusal === null) {
    return undefined;
  }
  return new TransportError(
    "transport.auth-failed",
    host,
    `sudo on ${target.host} refused to run the command as root for ${target.user ?? "the configured user"} ` +
      `(${refusal[0]}); allow it without a password (NOPASSWD in sudoers) or connect as root`,
    { cause },
  );
}
