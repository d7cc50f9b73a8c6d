import { disarmRevert } from "../../applier/confirm-revert.js";
import { describeRevertOwner } from "../../model/index.js";
import { CliError } from "../cli-error.js";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "../host-transports.js";
import { limitHostNames } from "../limit-hosts.js";
import { loadValidTopology } from "../load-valid-topology.js";
import type { Output } from "../output.js";

export interface DisarmOptions extends ConnectionOptions {
  readonly limit?: string;
}

/**
 * `netplan-k disarm <topology> --limit HOST`: disarms the confirm-timeout revert armed on
 * each named host, whoever armed it (a run killed before it confirmed), and says whose it
 * was; the host then keeps what it holds. Exit 0 when no named host has one armed any more,
 * 1 when one could not be reached or its revert fired meanwhile.
 */
export async function runDisarm(
  file: string,
  options: DisarmOptions,
  output: Output,
): Promise<number> {
  if (options.limit === undefined) {
    throw new CliError(
      "disarm needs --limit: name the hosts whose armed revert to disarm",
      "Run netplan-k disarm TOPOLOGY --limit node-1 (several: --limit node-1,node-2).",
    );
  }
  const topology = await loadValidTopology(file, output);
  if (topology === undefined) return EXIT_ERROR;
  const hosts = limitHostNames(
    topology.hosts.map((h) => h.name),
    options.limit,
  );
  const transports = openHostTransports(topology, hosts, options);
  try {
    const results = await Promise.allSettled(
      hosts.map(async (host) => {
        const transport = transports.get(host);
        if (transport === undefined) throw new Error(`${host}: no transport was opened`);
        return disarmRevert(transport, undefined);
      }),
    );
    let status = EXIT_OK;
    for (const [index, result] of results.entries()) {
      const host = hosts[index] ?? "?";
      if (result.status === "rejected") {
        output.err(`✗ ${(result.reason as Error).message}`);
        status = EXIT_ERROR;
        continue;
      }
      const { state, record } = result.value;
      const whose = record === undefined ? "" : ` of ${describeRevertOwner(record)}`;
      if (state === "disarmed") output.out(`${host}: disarmed the revert${whose}`);
      else if (state === "fired") {
        output.out(`${host}: the revert${whose} has fired already`);
        status = EXIT_ERROR;
      } else output.out(`${host}: no revert armed`);
    }
    return status;
  } finally {
    await closeAll(transports);
  }
}
