import { readFileSync } from "node:fs";
import type { LabSpec, Topology } from "../../src/topology/topology.js";
import type { FabricObservation } from "../../src/lab/observe-fabric.js";

/**
 * A fabric observation recorded from a real lab by fixtures/record-fabric.mjs (unedited), with
 * the topology and lab spec the lab was built from. `dual-stack-routed.json` was recorded by
 * hand the same way (observeFabric of the built dist, unedited) from lab v2, built with
 * `netplan-k lab up` twice, then `apply` and `verify` (6 of 6 paths in both families), from a
 * dual-stack vxlan topology with directRouting: node-1 and node-2 on 192.0.2.0/24 and
 * 2001:db8::/64, node-3 on 198.51.100.0/24 and 2001:db8:1::/64, router r1 with the legs
 * 192.0.2.1/24, 198.51.100.1/24, 2001:db8::1/64, 2001:db8:1::1/64; sshd off. Its `lab` is that
 * file as loaded (the topology, and its lab section as the spec).
 */
export interface RecordedFabric {
  readonly lab: { readonly topology: Topology; readonly spec: LabSpec };
  readonly observation: FabricObservation;
}

export const readRecordedFabric = (
  name: "converged" | "damaged" | "dual-stack-routed",
): RecordedFabric =>
  JSON.parse(
    readFileSync(new URL(`fixtures/${name}.json`, import.meta.url), "utf8"),
  ) as RecordedFabric;
