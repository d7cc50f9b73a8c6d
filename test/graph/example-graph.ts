import {
  buildTopologyGraph,
  type GraphOptions,
  type TopologyGraph,
} from "../../src/graph/index.js";
import { compileTopology } from "../../src/modes/compile.js";
import { loadTopologyFile } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";
import { modes } from "../../src/modes/registry.js";

/** An example topology (examples/<name>.yaml), loaded; fails the test when it is invalid. */
export async function loadExample(name: string): Promise<Topology> {
  const result = await loadTopologyFile(`examples/${name}.yaml`, modes);
  if (!result.ok) throw new Error(`examples/${name}.yaml does not load`);
  return result.topology;
}

/** The graph of an example, as `netplan-k graph` builds it. */
export async function exampleGraph(
  name: string,
  options: GraphOptions = {},
): Promise<TopologyGraph> {
  const topology = await loadExample(name);
  return buildTopologyGraph(topology, compileTopology(topology), options);
}
