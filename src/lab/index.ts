export { LabError } from "./lab-error.js";
export {
  layoutLab,
  type LabLayout,
  type LabNode,
  type LabSegment,
  type LabAttachment,
  type LabRoute,
} from "./lab-layout.js";
export { labDown } from "./lab-down.js";
export { labMarker } from "./lab-names.js";
export {
  DEFAULT_MNTNS_DIR,
  DEFAULT_STATE_ROOT,
  labPaths,
  type LabOptions,
  type LabPaths,
} from "./lab-paths.js";
export {
  labStatus,
  type LabHostStatus,
  type LabNamespaceStatus,
  type LabStatus,
} from "./lab-status.js";
export { labUp } from "./lab-up.js";
export type { LabRouter, LabSpec } from "../topology/topology.js";
export { openLabTransport } from "./lab-transport.js";
