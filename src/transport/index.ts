export type { Transport, RunOptions, RunResult } from "./transport.js";
export { TransportError, type TransportErrorCode } from "./transport-error.js";
export { openTransport, type OpenTransportOptions } from "./open-transport.js";
export { createLocalTransport } from "./local-transport.js";
export {
  createNetnsTransport,
  defaultMountNamespaceDir,
  type NetnsTransportOptions,
} from "./netns-transport.js";
export { traceTransport } from "./trace-transport.js";
export { createSshTransport } from "./ssh-transport.js";
export type { SshTarget, SshTransportOptions } from "./ssh-args.js";
export { quoteForRemoteShell, argvToRemoteCommandLine } from "./quote-for-remote-shell.js";
