import type { Address4 } from "ip-address";
import { allocateSlots, homeSlotOf, type SlotRange, type SlotSource } from "./allocate-slots.js";
import { blockAt, blockCount, overlaps, sizeOf, type IpPrefix } from "./block-math.js";

/**
 * Host blocks: a host without podCidr gets a block of cluster.cidr by the rule of
 * allocate-slots.ts, with label "block" (the same hash as before probing existed, so no
 * block of an existing cluster moves on upgrade) and the blocks the file writes as podCidr
 * left out. A live host keeps the block it holds: that is what makes "adding a host never
 * moves an existing host" true, since from names alone a new name may claim a home another
 * host was pushed onto.
 */

/** `P`: the family, Address4 or Address6; IPv6 blocks are allocated by the same rule. */
export interface BlockRequest<P extends IpPrefix = Address4> {
  /** The host's index in the file. */
  readonly id: number;
  readonly name: string;
  /** The podCidr written in the file, if any. */
  readonly explicit?: P;
  /** The block the host holds now (see held-addresses.ts), if it is live and holds one. */
  readonly held?: P;
}

export interface AllocatedBlock<P extends IpPrefix = Address4> {
  readonly block: P;
  readonly allocated: boolean;
  /** For an allocated block: kept from the live host, its name's own block, or probed on. */
  readonly source?: SlotSource;
}

export interface BlockAllocation<P extends IpPrefix = Address4> {
  /** Every host's block, except the hosts in `unplaced`. */
  readonly blocks: ReadonlyMap<number, AllocatedBlock<P>>;
  /** Hosts without podCidr left without a block: cluster.cidr is full. */
  readonly unplaced: readonly number[];
  /** How many blocks of hostPrefix cluster.cidr has. */
  readonly count: bigint;
  /** How many of them the topology needs: those podCidrs cover, plus one per other host. */
  readonly needed: bigint;
}

/** Every host's block: written, kept, or allocated. Pure. */
export function allocateBlocks<P extends IpPrefix>(
  cluster: P,
  hostPrefix: number,
  requests: readonly BlockRequest<P>[],
): BlockAllocation<P> {
  const blocks = new Map<number, AllocatedBlock<P>>();
  for (const r of requests) {
    if (r.explicit !== undefined) blocks.set(r.id, { block: r.explicit, allocated: false });
  }
  const count = blockCount(cluster, hostPrefix);
  const unpinned = requests.filter((r) => r.explicit === undefined);
  if (count === 0n) return { blocks, unplaced: [], count, needed: BigInt(unpinned.length) };

  const base = cluster.startAddress().bigInt();
  const size = sizeOf(blockAt(cluster, hostPrefix, 0n));
  const written = mergeRanges(
    requests.flatMap((r) =>
      r.explicit === undefined ? [] : slotRangeOf(r.explicit, cluster, base, size, count),
    ),
  );
  const heldSlot = (held: P | undefined): bigint | undefined =>
    held !== undefined && held.subnetMask === hostPrefix && held.isInSubnet(cluster)
      ? (held.startAddress().bigInt() - base) / size
      : undefined;

  const { placed, unplaced } = allocateSlots(
    "block",
    count,
    written,
    unpinned.map((r) => {
      const held = heldSlot(r.held);
      return held === undefined ? { id: r.id, name: r.name } : { id: r.id, name: r.name, held };
    }),
  );
  for (const [id, { slot, source }] of placed) {
    blocks.set(id, { block: blockAt(cluster, hostPrefix, slot), allocated: true, source });
  }
  const writtenSlots = written.reduce((sum, [a, b]) => sum + b - a + 1n, 0n);
  return { blocks, unplaced, count, needed: writtenSlots + BigInt(unpinned.length) };
}

/**
 * A block to suggest pinning for host `name`: the one allocation would give it (so removing
 * podCidr leads to the same place) when no block in `taken` overlaps it, else the lowest free
 * one; undefined when the cluster is full.
 */
export function suggestBlock<P extends IpPrefix>(
  cluster: P,
  hostPrefix: number,
  name: string,
  taken: readonly P[],
): P | undefined {
  const count = blockCount(cluster, hostPrefix);
  if (count === 0n) return undefined;
  const own = blockAt(cluster, hostPrefix, homeSlotOf("block", name, count));
  if (!taken.some((t) => overlaps(t, own))) return own;
  return lowestFreeBlock(cluster, hostPrefix, count, taken);
}

function lowestFreeBlock<P extends IpPrefix>(
  cluster: P,
  hostPrefix: number,
  count: bigint,
  taken: readonly P[],
): P | undefined {
  for (let slot = 0n; slot < count; slot++) {
    const candidate = blockAt(cluster, hostPrefix, slot);
    if (!taken.some((t) => overlaps(t, candidate))) return candidate;
  }
  return undefined;
}

/** The slots (first, last) a written block covers, if it overlaps the cluster at all. */
function slotRangeOf(
  block: IpPrefix,
  cluster: IpPrefix,
  base: bigint,
  size: bigint,
  count: bigint,
): SlotRange[] {
  if (cluster.isInSubnet(block)) return [[0n, count - 1n]];
  if (!block.isInSubnet(cluster)) return [];
  const first = (block.startAddress().bigInt() - base) / size;
  const last = (block.endAddress().bigInt() - base) / size;
  return [[first, last]];
}

/** Overlapping or touching ranges as one, so that slots are counted once. */
function mergeRanges(ranges: readonly SlotRange[]): SlotRange[] {
  const sorted = [...ranges].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const merged: [bigint, bigint][] = [];
  for (const [a, b] of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && a <= last[1] + 1n) last[1] = last[1] > b ? last[1] : b;
    else merged.push([a, b]);
  }
  return merged;
}
