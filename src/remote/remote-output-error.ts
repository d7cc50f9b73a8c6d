import { NetplanError, type NetplanErrorOptions } from "../model/netplan-error.js";

/**
 * Output of a remote script that cannot be read: no begin line, another format version, a
 * stream cut short, a line outside the framing. The message starts with the host (kept in
 * `host`) and names the section where there is one; observe and verify re-throw it as their
 * own error with this one as the cause.
 */
export class RemoteOutputError extends NetplanError {
  override readonly name = "RemoteOutputError";
  declare readonly code: "remote.unreadable-output";
  constructor(message: string, options: NetplanErrorOptions & { readonly host: string }) {
    super("remote.unreadable-output", message, options);
  }
}
