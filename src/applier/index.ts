export * from "./applier-error.js";
export * from "./change-commands.js";
export * from "./apply-script.js";
export * from "./apply-output.js";
export * from "./wait-for-bgp.js";
export * from "./describe-drift.js";
export * from "./converge-host.js";
export { sysctlPath } from "./sysctl-path.js";
