import { readFileSync } from "node:fs";
import type { LabSpec, Topology } from "../../src/topology/topology.js";
import type { FabricObservation } from "../../src/lab/observe-fabric.js";

/**
 * A fabric observation recorded from a real lab by fixtures/record-fabric.mjs (unedited), with
 * the topology and lab spec the lab was built from.
 */
export interface RecordedFabric {
  readonly lab: { readonly topology: Topology; readonly spec: LabSpec };
  readonly observation: FabricObservation;
}

export const readRecordedFabric = (name: "converged" | "damaged"): RecordedFabric =>
  JSON.parse(
    readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), "utf8"),
  ) as RecordedFabric;
