import { openLabTransport } from "../lab/lab-transport.js";
import type { Topology } from "../topology/topology.js";
import { openTransport } from "../transport/open-transport.js";
import type { Transport } from "../transport/transport.js";

export interface ConnectionOptions {
  /** An ssh_config file used instead of ~/.ssh/config. */
  readonly sshConfig?: string;
  /** Record unknown host keys on first contact (StrictHostKeyChecking=accept-new). */
  readonly acceptNewHostKeys?: boolean;
}

/**
 * One transport per host, by name. A lab topology's hosts are reached through the lab (see
 * openLabTransport); other hosts as their `transport` says. Opening contacts nothing.
 */
export function openHostTransports(
  topology: Topology,
  hosts: readonly string[],
  options: ConnectionOptions,
): Map<string, Transport> {
  const wanted = new Set(hosts);
  return new Map(
    topology.hosts
      .filter((host) => wanted.has(host.name))
      .map((host) => [
        host.name,
        topology.lab !== undefined
          ? openLabTransport(host, topology.lab)
          : openTransport(host, {
              ...(options.sshConfig === undefined ? {} : { sshConfigFile: options.sshConfig }),
              ...(options.acceptNewHostKeys === true ? { acceptNewHostKeys: true } : {}),
            }),
      ]),
  );
}

/** Closes every transport (ssh masters), whatever happened before. */
export async function closeAll(transports: ReadonlyMap<string, Transport>): Promise<void> {
  await Promise.allSettled([...transports.values()].map((transport) => transport.close()));
}
