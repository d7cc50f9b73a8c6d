export * from "./held-addresses.js";
export * from "./observation-error.js";
export * from "./observation-script.js";
export * from "./parse-bridge-fdb.js";
export * from "./parse-ip-addresses.js";
export * from "./parse-ip-links.js";
export * from "./parse-ip-neighbours.js";
export * from "./parse-ip-routes.js";
export * from "./parse-net-state.js";
export * from "./parse-observation.js";
export * from "./snapshot.js";
export {
  observeHost,
  parseObservationRun,
  parseStateObservationRun,
  OBSERVATION_MAX_OUTPUT_CHARS,
  OBSERVATION_TIMEOUT_MS,
} from "./observe-host.js";
export * from "./parse-management-path.js";
export * from "./parse-bird-protocols.js";
