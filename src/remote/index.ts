export {
  LOCK_SECTION,
  MARKER,
  renderRemoteScript,
  type LockSection,
  type RemoteScript,
  type RemoteScriptKind,
} from "./remote-script.js";
export {
  parseRemoteOutput,
  requireComplete,
  type RemoteOutput,
  type RemoteSection,
} from "./parse-remote-output.js";
export { formatRemoteOutput, type RemoteSectionOutput } from "./format-remote-output.js";
export { RemoteOutputError } from "./remote-output-error.js";
