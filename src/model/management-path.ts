/**
 * The path an SSH session to a host runs over, as the host itself sees it: where the session
 * comes from and arrives (`$SSH_CONNECTION`, set by sshd in the session's environment) and how
 * the host answers the client (`ip -j route get <client> from <server>`: the device, the
 * source address and the gateway the kernel picks now, policy rules included). Observed only for hosts reached over SSH; a local or
 * netns transport has no session to cut.
 */
export interface ManagementPath {
  /** The address the session comes from (the controller, or the last ProxyJump hop). */
  readonly clientAddress: string;
  readonly clientPort: number;
  /** The host's address the session arrived at. */
  readonly serverAddress: string;
  readonly serverPort: number;
  /** The device the host sends the session's packets out of. */
  readonly dev: string;
  /** The source address the kernel picks for them (`prefsrc`), when it says. */
  readonly src?: string;
  /** The next hop towards the client, when it is not on a connected subnet. */
  readonly gateway?: string;
}
