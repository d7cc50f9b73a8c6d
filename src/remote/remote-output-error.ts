/**
 * Output of a remote script that cannot be read: no begin line, another format version, a
 * stream cut short, a line outside the framing. The message starts with the host and names
 * the section where there is one; the users (observe, verify) re-throw it as their own error
 * with this one as the cause.
 */
export class RemoteOutputError extends Error {
  override readonly name = "RemoteOutputError";
  readonly code = "E_REMOTE_OUTPUT";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
