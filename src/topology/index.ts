export { formatDiagnostic, type Diagnostic } from "./diagnostic.js";
export { loadTopologyFile, loadTopologyText, type LoadResult } from "./load-topology.js";
export type { ModeCatalog, ModeFacts } from "./mode-facts.js";
export { topologySchema, topologySchemaPath } from "./schema.js";
export { isSameSegment } from "./segments.js";
export type * from "./topology.js";
