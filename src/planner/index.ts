export * from "./plan.js";
export * from "./diff-host.js";
export * from "./plan-topology.js";
export * from "./fingerprint.js";
export * from "./summarize-plan.js";
export * from "./render-text.js";
export * from "./render-json.js";
export * from "./render-markdown.js";
export { parsePlan, PlanFileError } from "./parse-plan.js";
