import { loadTopologyText } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";
import { modes } from "../../src/modes/registry.js";

/**
 * A vxlan topology with directRouting and `perSegment` hosts on each of two segments
 * (192.0.2.0/24 and 198.51.100.0/24), one workload each: big enough to show segment edges.
 */
export function bigTopology(perSegment: number): Topology {
  const hosts = ["192.0.2", "198.51.100"].flatMap((prefix, s) =>
    Array.from(
      { length: perSegment },
      (_, i) =>
        `  - name: n${s}-${i}\n    address: ${prefix}.${10 + i}/24\n    namespaces: [{ name: w${s}-${i} }]`,
    ),
  );
  const text = [
    "apiVersion: netplan-k/v1",
    "name: big",
    "cluster:",
    "  cidr: 10.9.0.0/16",
    "  mode: vxlan",
    "  vxlan: { directRouting: true }",
    "hosts:",
    ...hosts,
  ].join("\n");
  const result = loadTopologyText(text, "big.yaml", modes);
  if (!result.ok) throw new Error(result.diagnostics.map((d) => d.message).join("\n"));
  return result.topology;
}
