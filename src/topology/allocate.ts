import { allocateBlocks, type AllocatedBlock, type BlockRequest } from "./allocate-blocks.js";
import { allocateWorkloadIps, type AllocatedIp } from "./allocate-workloads.js";
import { cidrText } from "./block-math.js";
import { workloadId, type DraftTopology } from "./draft.js";
import { errorAt, type Finding } from "./finding.js";
import { formatPath } from "./path.js";

export interface Allocation {
  /** Each host's block by host index: written or allocated. Missing when it collided or cannot be known. */
  readonly blocks: ReadonlyMap<number, AllocatedBlock>;
  /** Each workload's address by workloadId(host, workload). */
  readonly ips: ReadonlyMap<string, AllocatedIp>;
  readonly findings: readonly Finding[];
}

/**
 * Resolves every block and workload address of the draft (see allocate-blocks.ts for the
 * rule) and turns collisions into findings at the host or workload that has to be pinned.
 */
export function allocateAddresses({ cluster, hosts }: DraftTopology): Allocation {
  const findings: Finding[] = [];
  const requests = hosts.flatMap((host, id): BlockRequest[] => {
    if (host.podCidr === "invalid") return [];
    if (host.podCidr !== "absent")
      return [{ id, name: host.name?.value ?? "", explicit: host.podCidr.value }];
    return host.name === undefined ? [] : [{ id, name: host.name.value }];
  });
  const { cidr, hostPrefix } = cluster;
  const canAllocate =
    cidr !== undefined && hostPrefix !== undefined && hostPrefix > cidr.value.subnetMask;
  const explicitOnly = new Map(
    requests.flatMap((r) =>
      r.explicit === undefined ? [] : [[r.id, { block: r.explicit, allocated: false }] as const],
    ),
  );
  const { blocks, collisions } = canAllocate
    ? allocateBlocks(cidr.value, hostPrefix, requests)
    : { blocks: explicitOnly, collisions: [] };
  const nameOf = (id: number): string => hosts[id]?.name?.value ?? formatPath(["hosts", id]);
  for (const c of collisions) {
    const host = hosts[c.id];
    if (host === undefined) continue;
    findings.push(
      errorAt(
        host.path,
        `${formatPath(host.path)} (${nameOf(c.id)}) has no podCidr and its name maps to block ${cidrText(c.block)}, which ${nameOf(c.holder)} already holds`,
        c.suggestion !== undefined
          ? `pin a free block on one of them, such as podCidr: ${cidrText(c.suggestion)} (blocks come from names alone, so that adding or removing a host never moves another's)`
          : "cluster.cidr has no free block left: use a larger cluster.cidr",
      ),
    );
  }

  const ips = new Map<string, AllocatedIp>();
  hosts.forEach((host, hostIndex) => {
    const block = blocks.get(hostIndex)?.block;
    if (block === undefined) return;
    const workloadRequests = host.workloads.flatMap((w, j) => {
      const id = workloadId(hostIndex, j);
      if (w.ip === "invalid") return [];
      if (w.ip !== "absent") return [{ id, name: w.name?.value ?? "", explicit: w.ip.value }];
      return w.name === undefined ? [] : [{ id, name: w.name.value }];
    });
    const result = allocateWorkloadIps(block, workloadRequests);
    for (const [id, ip] of result.ips) ips.set(id, ip);
    const workloadName = (id: string): string => {
      const w = host.workloads[Number(id.split("/")[1])];
      return w?.name?.value ?? "";
    };
    for (const c of result.collisions) {
      const workload = host.workloads[Number(c.id.split("/")[1])];
      if (workload === undefined) continue;
      findings.push(
        errorAt(
          workload.path,
          `${formatPath(workload.path)} (${workloadName(c.id)}) has no ip and its name maps to ${c.ip.address}, which ${workloadName(c.holder)} on ${nameOf(hostIndex)} already has`,
          c.suggestion !== undefined
            ? `pin a free address on one of them, such as ip: ${c.suggestion.address}`
            : `${nameOf(hostIndex)}'s block ${cidrText(block)} has no free address left: use a shorter cluster.hostPrefix`,
        ),
      );
    }
  });
  return { blocks, ips, findings };
}
