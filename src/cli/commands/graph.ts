import { writeFile } from "node:fs/promises";
import {
  buildTopologyGraph,
  markReachability,
  renderDot,
  renderMermaid,
  renderSvg,
  type GraphMarks,
  type TopologyGraph,
} from "../../graph/index.js";
import { compileTopology } from "../../modes/compile.js";
import type { Topology } from "../../topology/topology.js";
import { checkReachability } from "../../verify/index.js";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "../host-transports.js";
import { loadValidTopology } from "../load-valid-topology.js";
import type { Output } from "../output.js";

export type GraphFormat = "mermaid" | "dot" | "svg";

export interface GraphCommandOptions extends ConnectionOptions {
  readonly output: GraphFormat;
  readonly out?: string;
  readonly live: boolean;
  readonly parallelism: number;
}

/**
 * `netplan-k graph`: the topology as a picture (mermaid, dot or svg) on stdout or in a file.
 * With --live, verify's reachability check runs first and colours the pairs; the exit code is
 * then 1 when any path failed, as verify's is.
 */
export async function runGraph(
  file: string,
  options: GraphCommandOptions,
  output: Output,
): Promise<number> {
  const topology = await loadValidTopology(file, output);
  if (topology === undefined) return EXIT_ERROR;
  const marks = options.live ? await checkLive(topology, options) : undefined;
  const graph = buildTopologyGraph(
    topology,
    compileTopology(topology),
    marks === undefined ? {} : { marks },
  );
  const text = await render(graph, options.output);
  if (options.out === undefined) output.out(text);
  else {
    await writeFile(options.out, text);
    output.err(`Wrote the ${options.output} graph of ${topology.name} to ${options.out}.`);
  }
  const failing =
    marks !== undefined && [...marks.pairs.values(), ...marks.hosts.values()].includes("failing");
  return failing ? EXIT_ERROR : EXIT_OK;
}

/**
 * The same reachability check as `netplan-k verify`, turned into marks: in the family the graph
 * draws (IPv4, or IPv6 in an IPv6-only cluster: graphedSide).
 */
async function checkLive(topology: Topology, options: GraphCommandOptions): Promise<GraphMarks> {
  const transports = openHostTransports(
    topology,
    topology.hosts.map((h) => h.name),
    options,
  );
  try {
    return markReachability(
      await checkReachability({
        topology,
        transports,
        parallelism: options.parallelism,
        family: topology.cluster.v4 === undefined ? "ipv6" : "ipv4",
      }),
    );
  } finally {
    await closeAll(transports);
  }
}

async function render(graph: TopologyGraph, format: GraphFormat): Promise<string> {
  switch (format) {
    case "mermaid":
      return renderMermaid(graph);
    case "dot":
      return renderDot(graph);
    case "svg":
      return renderSvg(renderDot(graph));
  }
}
