import type { Transport } from "../../transport/index.js";
import { EXIT_ERROR, EXIT_OK } from "../exit-codes.js";
import { closeAll, openHostTransports, type ConnectionOptions } from "../host-transports.js";
import { limitHostNames } from "../limit-hosts.js";
import { loadValidTopology } from "../load-valid-topology.js";
import type { Output } from "../output.js";

/** Options of a command that acts on the hosts `--limit` names (every host without it). */
export interface NamedHostsOptions extends ConnectionOptions {
  readonly limit?: string;
}

/** What a command says about one host once it acted there; `failed` makes the exit status 1. */
export interface HostLine {
  readonly line: string;
  readonly failed: boolean;
}

/**
 * The body shared by the commands that act on each host `--limit` names (every host of the
 * topology when it names none), one at a time by hand (unlock, disarm): loads the topology at `file`, opens a transport per named host, runs
 * `act` on all of them at once, and writes one line per host in the order named: `describe`'s
 * line on stdout, or the error that stopped `act` on stderr.
 * Gives EXIT_OK, or EXIT_ERROR when the topology is invalid (its errors written), a host could
 * not be reached, or a host's line says it failed. Throws what resolving `--limit` throws (a
 * CliError naming an unknown host).
 */
export async function actOnNamedHosts<T>(
  file: string,
  options: NamedHostsOptions,
  output: Output,
  act: (transport: Transport) => Promise<T>,
  describe: (host: string, result: T) => HostLine,
): Promise<number> {
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
        return act(transport);
      }),
    );
    let status = EXIT_OK;
    for (const [index, result] of results.entries()) {
      if (result.status === "rejected") {
        output.err(`✗ ${(result.reason as Error).message}`);
        status = EXIT_ERROR;
        continue;
      }
      const { line, failed } = describe(hosts[index] ?? "?", result.value);
      output.out(line);
      if (failed) status = EXIT_ERROR;
    }
    return status;
  } finally {
    await closeAll(transports);
  }
}
