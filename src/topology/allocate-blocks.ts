import { createHash } from "node:crypto";
import type { Address4 } from "ip-address";
import { blockAt, blockCount, overlaps } from "./block-math.js";

/**
 * Deterministic, stable allocation of host blocks.
 *
 * The promise: adding or removing a host never moves another host's block. That holds only
 * if a host's block depends on its own name and nothing else, so a host without podCidr gets
 * slot `sha256("block:" + name)` (first 4 bytes, big-endian uint32) modulo the number of
 * hostPrefix-sized blocks in cluster.cidr.
 *
 * Why not probe for the next free slot on a collision, as a hash table would: the block a
 * probing host ends up with depends on which other hosts took slots before it, so removing
 * one host (or adding one earlier in the file) would shift the others, and every workload
 * address in the moved blocks with them. A collision is instead an error that names both
 * hosts and suggests a free block to pin explicitly: the user decides, once, and the pinned
 * block never moves again.
 */

export interface BlockRequest {
  /** The host's index in the file. */
  readonly id: number;
  readonly name: string;
  /** The podCidr written in the file, if any. */
  readonly explicit?: Address4;
}

export interface AllocatedBlock {
  readonly block: Address4;
  readonly allocated: boolean;
}

export interface BlockCollision {
  /** The host whose allocated block is taken. */
  readonly id: number;
  /** The block it would have had. */
  readonly block: Address4;
  /** The host that holds that block (explicitly, or allocated and earlier in the file). */
  readonly holder: number;
  /** The lowest block free for pinning, when the cluster has one. */
  readonly suggestion?: Address4;
}

export interface BlockAllocation {
  /** Every host's block except those that collided. */
  readonly blocks: ReadonlyMap<number, AllocatedBlock>;
  readonly collisions: readonly BlockCollision[];
}

/** The slot a name hashes to among `count` slots. */
export const slotOf = (label: string, count: bigint): bigint =>
  BigInt(createHash("sha256").update(label).digest().readUInt32BE(0)) % count;

export function allocateBlocks(
  cluster: Address4,
  hostPrefix: number,
  requests: readonly BlockRequest[],
): BlockAllocation {
  const blocks = new Map<number, AllocatedBlock>();
  for (const r of requests) {
    if (r.explicit !== undefined) blocks.set(r.id, { block: r.explicit, allocated: false });
  }
  const count = blockCount(cluster, hostPrefix);
  if (count === 0n) return { blocks, collisions: [] };

  const wanted = requests.flatMap((r) =>
    r.explicit === undefined
      ? [{ id: r.id, block: blockAt(cluster, hostPrefix, slotOf(`block:${r.name}`, count)) }]
      : [],
  );
  const collided: { id: number; block: Address4; holder: number }[] = [];
  for (const w of wanted) {
    const holder = requests.find(
      (r) =>
        r.id !== w.id &&
        (r.explicit !== undefined
          ? overlaps(r.explicit, w.block)
          : r.id < w.id &&
            wanted.some((o) => o.id === r.id && o.block.bigInt() === w.block.bigInt())),
    );
    if (holder === undefined) blocks.set(w.id, { block: w.block, allocated: true });
    else collided.push({ ...w, holder: holder.id });
  }

  // Suggestions avoid every block in use and each other, so pinning all of them works.
  const taken = [...blocks.values()].map((b) => b.block);
  const collisions = collided.map((c): BlockCollision => {
    const suggestion = lowestFreeBlock(cluster, hostPrefix, count, taken);
    if (suggestion === undefined) return c;
    taken.push(suggestion);
    return { ...c, suggestion };
  });
  return { blocks, collisions };
}

/**
 * A block to suggest pinning for host `name`: the one allocation would give it (so removing
 * podCidr leads to the same place) when no block in `taken` overlaps it, else the lowest free
 * one; undefined when the cluster is full.
 */
export function suggestBlock(
  cluster: Address4,
  hostPrefix: number,
  name: string,
  taken: readonly Address4[],
): Address4 | undefined {
  const count = blockCount(cluster, hostPrefix);
  if (count === 0n) return undefined;
  const own = blockAt(cluster, hostPrefix, slotOf(`block:${name}`, count));
  if (!taken.some((t) => overlaps(t, own))) return own;
  return lowestFreeBlock(cluster, hostPrefix, count, taken);
}

function lowestFreeBlock(
  cluster: Address4,
  hostPrefix: number,
  count: bigint,
  taken: readonly Address4[],
): Address4 | undefined {
  for (let slot = 0n; slot < count; slot++) {
    const candidate = blockAt(cluster, hostPrefix, slot);
    if (!taken.some((t) => overlaps(t, candidate))) return candidate;
  }
  return undefined;
}
