import type { Address4 } from "ip-address";
import { addressAt, cidrText, offsetOf, sizeOf } from "./block-math.js";
import type { Allocation } from "./allocate.js";
import type { DraftTopology } from "./draft.js";
import { errorAt, type Finding } from "./finding.js";
import { formatPath } from "./path.js";

/**
 * A written workload address must be a usable address of its host's block: not the network
 * address (the VTEP's), not the first (the bridge's, tunnel's or gateway's), not broadcast.
 */
export function checkWorkloadAddresses(
  { hosts }: DraftTopology,
  { blocks }: Allocation,
): Finding[] {
  return hosts.flatMap((host, hostIndex) => {
    const block = blocks.get(hostIndex)?.block;
    if (block === undefined) return [];
    const owner = `${host.name?.value ?? formatPath(host.path)}'s block ${cidrText(block)}`;
    const usable = `use an address from ${addressAt(block, 2n).address} to ${addressAt(block, sizeOf(block) - 2n).address}`;
    return host.workloads.flatMap((w) => {
      if (typeof w.ip === "string") return [];
      const where = `${formatPath(w.ip.path)} ${w.ip.value.address}`;
      const problem = describeMisplacement(block, w.ip.value, owner);
      return problem === undefined ? [] : [errorAt(w.ip.path, `${where} ${problem}`, usable)];
    });
  });
}

function describeMisplacement(block: Address4, ip: Address4, owner: string): string | undefined {
  if (!ip.isInSubnet(block)) return `is outside ${owner}`;
  const offset = offsetOf(block, ip);
  if (offset === 0n) return `is the network address of ${owner}`;
  if (offset === 1n)
    return `is the first address of ${owner}, reserved for the host's bridge, tunnel or gateway`;
  if (offset === sizeOf(block) - 1n) return `is the broadcast address of ${owner}`;
  return undefined;
}
