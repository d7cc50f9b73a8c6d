import type { Address4 } from "ip-address";
import { allocateSlots, type SlotSource } from "./allocate-slots.js";
import { addressAt, offsetOf, sizeOf, type IpPrefix } from "./block-math.js";

/**
 * Workload addresses inside one host's block, by the rule of allocate-slots.ts with label
 * "workload": slot s is offset 2 + s, so the network address (also the VTEP's), the first
 * address (bridge, tunnel, gateway) and the broadcast address are never given out. Written
 * addresses are left out; a workload of a live host keeps the address it holds.
 */

export interface WorkloadRequest<P extends IpPrefix = Address4> {
  readonly id: string;
  readonly name: string;
  readonly explicit?: P;
  /** The address the live workload holds now (see held-addresses.ts), if any. */
  readonly held?: P;
}

export interface AllocatedIp<P extends IpPrefix = Address4> {
  readonly ip: P;
  readonly allocated: boolean;
  /** For an allocated address: kept from the live workload, its name's own, or probed on. */
  readonly source?: SlotSource;
}

export interface WorkloadAllocation<P extends IpPrefix = Address4> {
  /** Every workload's address, except those in `unplaced`. */
  readonly ips: ReadonlyMap<string, AllocatedIp<P>>;
  /** Workloads without ip left without an address: the block is full. */
  readonly unplaced: readonly string[];
  /** How many addresses of the block can be given to workloads. */
  readonly usable: bigint;
  /** How many the block's workloads need. */
  readonly needed: bigint;
}

/** The first usable offset: 0 is the network address, 1 the gateway. */
const FIRST_OFFSET = 2n;

/**
 * Every workload's address in the block: written, kept, or allocated. Pure. An IPv6 block
 * has no broadcast address, but keeps the same offsets reserved, so both families follow
 * one rule.
 */
export function allocateWorkloadIps<P extends IpPrefix>(
  block: P,
  requests: readonly WorkloadRequest<P>[],
): WorkloadAllocation<P> {
  const ips = new Map<string, AllocatedIp<P>>();
  const usable = sizeOf(block) - 3n > 0n ? sizeOf(block) - 3n : 0n;
  const slotOfAddress = (ip: P | undefined): bigint | undefined => {
    if (ip === undefined || !ip.isInSubnet(block)) return undefined;
    const slot = offsetOf(block, ip) - FIRST_OFFSET;
    return slot >= 0n && slot < usable ? slot : undefined;
  };
  const written = new Set<bigint>();
  for (const r of requests) {
    if (r.explicit === undefined) continue;
    ips.set(r.id, { ip: r.explicit, allocated: false });
    const slot = slotOfAddress(r.explicit);
    if (slot !== undefined) written.add(slot);
  }
  const unpinned = requests.filter((r) => r.explicit === undefined);
  const needed = BigInt(written.size + unpinned.length);
  if (usable === 0n) return { ips, unplaced: unpinned.map((r) => r.id), usable, needed };

  const { placed, unplaced } = allocateSlots(
    "workload",
    usable,
    [...written].map((slot) => [slot, slot] as const),
    unpinned.map((r) => {
      const held = slotOfAddress(r.held);
      return held === undefined ? { id: r.id, name: r.name } : { id: r.id, name: r.name, held };
    }),
  );
  for (const [id, { slot, source }] of placed) {
    ips.set(id, { ip: addressAt(block, FIRST_OFFSET + slot), allocated: true, source });
  }
  return { ips, unplaced, usable, needed };
}
