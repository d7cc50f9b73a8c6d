import type { Address4, Address6 } from "ip-address";
import { allocateBlocks, type AllocatedBlock, type BlockRequest } from "./allocate-blocks.js";
import {
  allocateWorkloadIps,
  type AllocatedIp,
  type WorkloadRequest,
} from "./allocate-workloads.js";
import { cidrText, type IpPrefix } from "./block-math.js";
import {
  workloadId,
  type DraftHost,
  type DraftTopology,
  type DraftWorkload,
  type Field,
  type Given,
} from "./draft.js";
import { errorAt, type Finding } from "./finding.js";
import { formatPath } from "./path.js";

export interface Allocation {
  /** Each host's block by host index: written or allocated. Missing when it cannot be known. */
  readonly blocks: ReadonlyMap<number, AllocatedBlock>;
  /** Each workload's address by workloadId(host, workload). */
  readonly ips: ReadonlyMap<string, AllocatedIp>;
  /** Each host's IPv6 block, when the cluster has an IPv6 range. */
  readonly blocksV6: ReadonlyMap<number, AllocatedBlock<Address6>>;
  /** Each workload's IPv6 address, when the cluster has an IPv6 range. */
  readonly ipsV6: ReadonlyMap<string, AllocatedIp<Address6>>;
  readonly findings: readonly Finding[];
}

/**
 * What live hosts hold now, by host name: allocation keeps it where the file leaves it free
 * (see allocate-slots.ts). Observed on the hosts by heldAddresses (src/observe); `validate`
 * has none and allocates from names alone.
 */
export interface HeldAddresses {
  /** The block each live host holds. */
  readonly blocks: ReadonlyMap<string, Address4>;
  /** The address each live workload holds, by host name, then workload name. */
  readonly ips: ReadonlyMap<string, ReadonlyMap<string, Address4>>;
}

export const NOTHING_HELD: HeldAddresses = { blocks: new Map(), ips: new Map() };

/**
 * Resolves every block and workload address of the draft (see allocate-slots.ts for the
 * rule), keeping what `held` says live hosts hold, and turns a full cluster.cidr or a full
 * block into findings at the hosts or workloads left without one. Each family of the
 * cluster is allocated on its own, by the same rule; IPv6 from names alone (what live
 * hosts hold is read for IPv4 only so far).
 */
export function allocateAddresses(
  { cluster, hosts }: DraftTopology,
  held: HeldAddresses = NOTHING_HELD,
): Allocation {
  // An IPv6-only cluster has no IPv4 allocation at all, so its hosts have none to resolve.
  const v4 =
    cluster.cidrFamilies?.v4 === false
      ? { blocks: new Map(), ips: new Map(), findings: [] }
      : allocateFamily(cluster.cidr, cluster.hostPrefix, "cluster.hostPrefix", hosts, {
          block: (host) => host.podCidr,
          ip: (workload) => workload.ip,
          heldBlock: (name, host) => {
            const block = held.blocks.get(name);
            return block !== undefined && holdsWrittenIps(block, host) ? block : undefined;
          },
          heldIp: (hostName, workloadName) => held.ips.get(hostName)?.get(workloadName),
        });
  // An IPv4-only cluster has no IPv6 allocation at all, so its hosts have none to resolve.
  const v6 =
    cluster.cidrV6 === undefined
      ? { blocks: new Map(), ips: new Map(), findings: [] }
      : allocateFamily(cluster.cidrV6, cluster.hostPrefixV6, "cluster.hostPrefixV6", hosts, {
          block: (host) => host.podCidrV6,
          ip: (workload) => workload.ipV6,
          heldBlock: () => undefined,
          heldIp: () => undefined,
        });
  return {
    blocks: v4.blocks,
    ips: v4.ips,
    blocksV6: v6.blocks,
    ipsV6: v6.ips,
    findings: [...v4.findings, ...v6.findings],
  };
}

/** Where one family's values sit in the draft, and what live hosts hold of it. */
interface FamilyFields<P extends IpPrefix> {
  block(host: DraftHost): Given<P>;
  ip(workload: DraftWorkload): Given<P>;
  heldBlock(hostName: string, host: DraftHost): P | undefined;
  heldIp(hostName: string, workloadName: string): P | undefined;
}

/** One family's blocks and workload addresses (see allocateAddresses). */
function allocateFamily<P extends IpPrefix>(
  cidr: Field<P> | undefined,
  hostPrefix: number | undefined,
  hostPrefixName: string,
  hosts: readonly DraftHost[],
  fields: FamilyFields<P>,
): {
  blocks: ReadonlyMap<number, AllocatedBlock<P>>;
  ips: ReadonlyMap<string, AllocatedIp<P>>;
  findings: Finding[];
} {
  const findings: Finding[] = [];
  const requests = hosts.flatMap((host, id): BlockRequest<P>[] => {
    const written = fields.block(host);
    if (written === "invalid") return [];
    if (written !== "absent")
      return [{ id, name: host.name?.value ?? "", explicit: written.value }];
    if (host.name === undefined) return [];
    const block = fields.heldBlock(host.name.value, host);
    return [
      block !== undefined
        ? { id, name: host.name.value, held: block }
        : { id, name: host.name.value },
    ];
  });
  const canAllocate =
    cidr !== undefined && hostPrefix !== undefined && hostPrefix > cidr.value.subnetMask;
  const explicitOnly = new Map(
    requests.flatMap((r) =>
      r.explicit === undefined ? [] : [[r.id, { block: r.explicit, allocated: false }] as const],
    ),
  );
  const { blocks, unplaced, count, needed } = canAllocate
    ? allocateBlocks(cidr.value, hostPrefix, requests)
    : { blocks: explicitOnly, unplaced: [], count: 0n, needed: 0n };
  const nameOf = (id: number): string => hosts[id]?.name?.value ?? formatPath(["hosts", id]);
  // More hosts than blocks is reported once, at cluster.cidr, by check-blocks.ts.
  for (const id of count < BigInt(hosts.length) ? [] : unplaced) {
    const host = hosts[id];
    if (host === undefined || cidr === undefined) continue;
    findings.push(
      errorAt(
        host.path,
        `${formatPath(host.path)} (${nameOf(id)}) has no podCidr, and cluster.cidr ${cidrText(cidr.value)} is full: it has ${count} blocks of /${hostPrefix}, and this topology needs ${needed}`,
        `use a larger cluster.cidr, or a longer ${hostPrefixName} (smaller blocks)`,
      ),
    );
  }

  const ips = new Map<string, AllocatedIp<P>>();
  hosts.forEach((host, hostIndex) => {
    const block = blocks.get(hostIndex)?.block;
    if (block === undefined) return;
    const workloadRequests = host.workloads.flatMap((w, j): WorkloadRequest<P>[] => {
      const id = workloadId(hostIndex, j);
      const written = fields.ip(w);
      if (written === "invalid") return [];
      if (written !== "absent") return [{ id, name: w.name?.value ?? "", explicit: written.value }];
      if (w.name === undefined) return [];
      const ip = fields.heldIp(host.name?.value ?? "", w.name.value);
      return [ip === undefined ? { id, name: w.name.value } : { id, name: w.name.value, held: ip }];
    });
    const result = allocateWorkloadIps(block, workloadRequests);
    for (const [id, ip] of result.ips) ips.set(id, ip);
    for (const id of result.unplaced) {
      const workload = host.workloads[Number(id.split("/")[1])];
      if (workload === undefined) continue;
      findings.push(
        errorAt(
          workload.path,
          `${formatPath(workload.path)} (${workload.name?.value ?? ""}) has no ip, and ${nameOf(hostIndex)}'s block ${cidrText(block)} is full: it has ${result.usable} addresses for workloads, and its workloads need ${result.needed}`,
          `use a shorter ${hostPrefixName} (larger blocks), or fewer workloads on ${nameOf(hostIndex)}`,
        ),
      );
    }
  });
  return { blocks, ips, findings };
}

/**
 * A held block is kept only when every address the file writes for the host's workloads
 * lies in it: otherwise the file has moved the host, and the block comes from its name.
 */
function holdsWrittenIps(block: Address4, host: DraftHost): boolean {
  return host.workloads.every((w) => typeof w.ip === "string" || w.ip.value.isInSubnet(block));
}
