import { listBgpSessions } from "../../modes/bird-config.js";
import type { Topology } from "../../topology/topology.js";
import type { Transport } from "../../transport/transport.js";
import {
  areBgpSessionsEstablished,
  checkBgpSessions,
  checkReachability,
  isFullyReachable,
  renderBgpTable,
  renderReachabilityJson,
  renderReachabilityTable,
  type HostBgpSessions,
} from "../../verify/index.js";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "../host-transports.js";
import { keepHeldAddresses } from "../keep-held-addresses.js";
import { loadValidTopology } from "../load-valid-topology.js";
import { observeHosts } from "../observe-hosts.js";
import type { Output } from "../output.js";
import { runPerHost } from "../per-host.js";

export interface VerifyOptions extends ConnectionOptions {
  readonly parallelism: number;
  readonly output: "text" | "json";
}

/**
 * `netplan-k verify`: every workload pings every other from inside its namespace (one round
 * trip per host), and in mode bgp every expected BGP session must be Established.
 */
export async function runVerify(
  file: string,
  options: VerifyOptions,
  output: Output,
): Promise<number> {
  const loaded = await loadValidTopology(file, output);
  if (loaded === undefined) return EXIT_ERROR;
  const transports = openHostTransports(
    loaded,
    loaded.hosts.map((h) => h.name),
    options,
  );
  try {
    const topology = await keepLiveAddresses(loaded, transports, options, output);
    const matrix = await checkReachability({
      topology,
      transports,
      parallelism: options.parallelism,
    });
    let sessions: HostBgpSessions[] = [];
    if (topology.cluster.mode === "bgp") {
      const outcomes = await runPerHost(
        topology.hosts.map((h) => h.name),
        { parallelism: options.parallelism, output },
        async (name, report) => {
          report("checking BGP sessions");
          const host = topology.hosts.find((h) => h.name === name);
          const expected =
            host === undefined ? [] : listBgpSessions(topology, host).map((s) => s.protocol);
          return checkBgpSessions(transports.get(name) as Transport, { expected });
        },
      );
      sessions = [...outcomes].map(([host, outcome]) =>
        outcome.ok
          ? outcome.value
          : { host, status: "failed" as const, reason: outcome.error.message },
      );
    }
    if (options.output === "json") {
      output.out(renderReachabilityJson(matrix));
    } else {
      output.out(renderReachabilityTable(matrix, { color: output.color }));
      if (sessions.length > 0) output.out(renderBgpTable(sessions, { color: output.color }));
    }
    return isFullyReachable(matrix) && areBgpSessionsEstablished(sessions) ? EXIT_OK : EXIT_ERROR;
  } finally {
    await closeAll(transports);
  }
}

/**
 * The addresses to ping: with any block or workload address allocated, the ones the live
 * hosts hold (keep-held-addresses.ts), which costs one more round trip per host; with
 * everything pinned in the file, the file's.
 */
async function keepLiveAddresses(
  topology: Topology,
  transports: ReadonlyMap<string, Transport>,
  options: VerifyOptions,
  output: Output,
): Promise<Topology> {
  const allocated = topology.hosts.some(
    (h) => h.podCidrAllocated || h.workloads.some((w) => w.ipAllocated),
  );
  if (!allocated) return topology;
  const { observed } = await observeHosts(transports, {
    parallelism: options.parallelism,
    output,
  });
  return keepHeldAddresses(topology, observed);
}
