import { openLabTransport } from "../lab/lab-transport.js";
import type { Topology } from "../topology/topology.js";
import { openTransport } from "../transport/open-transport.js";
import { traceTransport } from "../transport/trace-transport.js";
import type { Transport } from "../transport/transport.js";

export interface ConnectionOptions {
  /** An ssh_config file used instead of ~/.ssh/config. */
  readonly sshConfig?: string;
  /** Record unknown host keys on first contact (StrictHostKeyChecking=accept-new). */
  readonly acceptNewHostKeys?: boolean;
  /** `--debug`: where each round trip's line goes (trace-transport.ts); none without it. */
  readonly trace?: (line: string) => void;
}

/**
 * One transport per host, by name. A lab topology's hosts are reached through the lab (see
 * openLabTransport); other hosts as their `transport` says. With `trace`, every round trip
 * is reported to it. Opening contacts nothing.
 */
export function openHostTransports(
  topology: Topology,
  hosts: readonly string[],
  options: ConnectionOptions,
): Map<string, Transport> {
  const wanted = new Set(hosts);
  const { trace } = options;
  return new Map(
    topology.hosts
      .filter((host) => wanted.has(host.name))
      .map((host) => {
        const transport =
          topology.lab !== undefined
            ? openLabTransport(host, topology.lab)
            : openTransport(host, {
                ...(options.sshConfig === undefined ? {} : { sshConfigFile: options.sshConfig }),
                ...(options.acceptNewHostKeys === true ? { acceptNewHostKeys: true } : {}),
              });
        return [host.name, trace === undefined ? transport : traceTransport(transport, trace)];
      }),
  );
}

/** Closes every transport (ssh masters), whatever happened before. */
export async function closeAll(transports: ReadonlyMap<string, Transport>): Promise<void> {
  await Promise.allSettled([...transports.values()].map((transport) => transport.close()));
}
