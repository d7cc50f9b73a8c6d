export { VerifyError, type VerifyErrorCode } from "./verify-error.js";
export {
  DEFAULT_MAX_PARALLEL_PINGS,
  PING_FORMAT_VERSION,
  parsePingResults,
  renderPingScript,
  type PingOptions,
  type PingResult,
  type PingTarget,
} from "./ping-script.js";
export {
  DEFAULT_PING_COUNT,
  DEFAULT_PING_TIMEOUT_SECONDS,
  DEFAULT_VERIFY_PARALLELISM,
  checkReachability,
  isFullyReachable,
  listEndpoints,
  summarizeReachability,
  type Endpoint,
  type ReachabilityInput,
  type ReachabilityMatrix,
  type ReachabilityPath,
  type ReachabilitySummary,
  type SourceHostReachability,
} from "./reachability.js";
export {
  REACHABILITY_JSON_VERSION,
  endpointLabel,
  renderReachabilityJson,
  renderReachabilityTable,
} from "./render-reachability.js";
export {
  areBgpSessionsEstablished,
  checkBgpSessions,
  renderBgpTable,
  type BgpCheckOptions,
  type BgpSession,
  type HostBgpSessions,
} from "./bgp-sessions.js";
export {
  BGP_CLASS,
  reachabilityClass,
  renderJUnit,
  type ExpectedBgpSession,
  type JUnitInput,
} from "./render-junit.js";
