import { Address4 } from "ip-address";
import { addressAt, addressText, cidrText, offsetOf, sizeOf, type IpPrefix } from "./block-math.js";
import type { Allocation } from "./allocate.js";
import type { DraftTopology, DraftWorkload, Given } from "./draft.js";
import { errorAt, type Finding } from "./finding.js";
import { formatPath } from "./path.js";

/**
 * A written workload address must be a usable address of its host's block: not the network
 * address (the VTEP's), not the first (the bridge's, tunnel's or gateway's), not broadcast.
 * An IPv6 block keeps the same offsets free (its last address, for one rule in both families).
 */
export function checkWorkloadAddresses(
  { hosts }: DraftTopology,
  { blocks, blocksV6 }: Allocation,
): Finding[] {
  return [
    ...checkFamily(
      hosts,
      (i) => blocks.get(i)?.block,
      (w) => w.ip,
    ),
    ...checkFamily(
      hosts,
      (i) => blocksV6.get(i)?.block,
      (w) => w.ipV6,
    ),
  ];
}

function checkFamily<P extends IpPrefix>(
  hosts: DraftTopology["hosts"],
  blockOf: (hostIndex: number) => P | undefined,
  ipOf: (workload: DraftWorkload) => Given<P>,
): Finding[] {
  return hosts.flatMap((host, hostIndex) => {
    const block = blockOf(hostIndex);
    if (block === undefined) return [];
    const owner = `${host.name?.value ?? formatPath(host.path)}'s block ${cidrText(block)}`;
    const usable = `use an address from ${addressText(addressAt(block, 2n))} to ${addressText(addressAt(block, sizeOf(block) - 2n))}`;
    return host.workloads.flatMap((w) => {
      const ip = ipOf(w);
      if (typeof ip === "string") return [];
      const where = `${formatPath(ip.path)} ${addressText(ip.value)}`;
      const problem = describeMisplacement(block, ip.value, owner);
      return problem === undefined ? [] : [errorAt(ip.path, `${where} ${problem}`, usable)];
    });
  });
}

function describeMisplacement(block: IpPrefix, ip: IpPrefix, owner: string): string | undefined {
  if (!ip.isInSubnet(block)) return `is outside ${owner}`;
  const offset = offsetOf(block, ip);
  if (offset === 0n) return `is the network address of ${owner}`;
  if (offset === 1n)
    return `is the first address of ${owner}, reserved for the host's bridge, tunnel or gateway`;
  if (offset === sizeOf(block) - 1n)
    return block instanceof Address4
      ? `is the broadcast address of ${owner}`
      : `is the last address of ${owner}, kept free as IPv4's broadcast address is`;
  return undefined;
}
