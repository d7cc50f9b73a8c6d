import { renderSnapshot, SNAPSHOT_FORMAT_VERSION } from "../../observe/snapshot.js";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "../host-transports.js";
import { limitHostNames } from "../limit-hosts.js";
import { loadValidTopology } from "../load-valid-topology.js";
import { observeHosts } from "../observe-hosts.js";
import type { Output } from "../output.js";
import { findUnbuiltLabHosts } from "../unbuilt-lab-hosts.js";

export interface ObserveOptions extends ConnectionOptions {
  readonly limit?: string;
  readonly parallelism: number;
}

/**
 * `netplan-k observe`: what every host holds now, as the snapshot `plan --state` reads. Hosts
 * that cannot be reached are named on stderr; the others are still printed.
 */
export async function runObserve(
  file: string,
  options: ObserveOptions,
  output: Output,
): Promise<number> {
  const topology = await loadValidTopology(file, output);
  if (topology === undefined) return EXIT_ERROR;
  const hosts = limitHostNames(
    topology.hosts.map((h) => h.name),
    options.limit,
  );
  const transports = openHostTransports(topology, hosts, options);
  try {
    const { observed, failures } = await observeHosts(transports, {
      ...options,
      output,
      unreachable: await findUnbuiltLabHosts(topology, hosts),
    });
    output.out(
      renderSnapshot({
        formatVersion: SNAPSHOT_FORMAT_VERSION,
        topology: topology.name,
        hosts: observed,
      }),
    );
    for (const error of failures.values()) output.err(`✗ ${error.message}`);
    return failures.size === 0 ? EXIT_OK : EXIT_ERROR;
  } finally {
    await closeAll(transports);
  }
}
