import { createHash } from "node:crypto";

/**
 * Placing names in numbered slots: host blocks in cluster.cidr, workload addresses in a block.
 *
 * The rule, in three rounds over the names in code-unit order (never file order, so moving
 * hosts around in the file changes nothing):
 *   1. a name keeps the slot it holds now (observed on a live host) when that slot is free;
 *   2. every other name takes its home slot, `sha256(label + ":" + name)` (first 4 bytes,
 *      big-endian) modulo the number of slots, when free; of two names with one home, the
 *      first in code-unit order takes it;
 *   3. the names left probe onward from their home slot (home + 1, + 2, ..., wrapping round)
 *      and take the first free slot.
 * So placement fails only when every slot is taken, and is the same every time for the same
 * names and held slots. Round 2 comes before round 3 so that a name pushed on never takes
 * another name's home. What can move, from names alone: a name pushed on (when the names
 * around it change), and a name whose home a new name with an earlier code-unit order
 * claims. Neither moves once its slot is held: round 1 runs first.
 */

/** One name that needs a slot. */
export interface SlotRequest<Id> {
  readonly id: Id;
  readonly name: string;
  /** The slot this name holds now (observed on a live host), if any. */
  readonly held?: bigint;
}

/** How a name got its slot: kept from a live host, its home, or probed on from its home. */
export type SlotSource = "held" | "home" | "probed";

export interface SlotPlacement {
  readonly slot: bigint;
  readonly source: SlotSource;
}

export interface SlotAllocation<Id> {
  readonly placed: ReadonlyMap<Id, SlotPlacement>;
  /** Names left without a slot because every slot is taken, in code-unit order. */
  readonly unplaced: readonly Id[];
}

/** The home slot of a name among `count` slots (count > 0). */
export const homeSlotOf = (label: string, name: string, count: bigint): bigint =>
  BigInt(createHash("sha256").update(`${label}:${name}`).digest().readUInt32BE(0)) % count;

/** Slots `first` to `last`, both included. */
export type SlotRange = readonly [first: bigint, last: bigint];

/**
 * Places every request in one of `count` slots, skipping the `written` ranges the file
 * already gives away (explicit podCidr or ip). Pure; see the rule above. Probing jumps over
 * a written range in one step, so a huge range costs no more than a small one.
 */
export function allocateSlots<Id>(
  label: string,
  count: bigint,
  written: readonly SlotRange[],
  requests: readonly SlotRequest<Id>[],
): SlotAllocation<Id> {
  const placed = new Map<Id, SlotPlacement>();
  const taken = new Set<bigint>();
  const writtenRange = (slot: bigint): SlotRange | undefined =>
    written.find(([first, last]) => first <= slot && slot <= last);
  const isFree = (slot: bigint): boolean => !taken.has(slot) && writtenRange(slot) === undefined;
  const place = (id: Id, slot: bigint, source: SlotSource): void => {
    taken.add(slot);
    placed.set(id, { slot, source });
  };
  const ordered = [...requests].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const unheld = ordered.filter((r) => {
    if (r.held === undefined || r.held < 0n || r.held >= count || !isFree(r.held)) return true;
    place(r.id, r.held, "held");
    return false;
  });
  const homes = new Map(unheld.map((r) => [r.id, homeSlotOf(label, r.name, count)]));
  const pushedOn = unheld.filter((r) => {
    const home = homes.get(r.id) ?? 0n;
    if (!isFree(home)) return true;
    place(r.id, home, "home");
    return false;
  });
  const unplaced: Id[] = [];
  for (const r of pushedOn) {
    const slot = probeOnward(homes.get(r.id) ?? 0n, count, taken, writtenRange);
    if (slot === undefined) unplaced.push(r.id);
    else place(r.id, slot, "probed");
  }
  return { placed, unplaced };
}

/** The first free slot after `home`, wrapping round; undefined when every slot is taken. */
function probeOnward(
  home: bigint,
  count: bigint,
  taken: ReadonlySet<bigint>,
  writtenRange: (slot: bigint) => SlotRange | undefined,
): bigint | undefined {
  let passed = 1n;
  let candidate = (home + 1n) % count;
  while (passed < count) {
    const range = writtenRange(candidate);
    if (range !== undefined) {
      passed += range[1] - candidate + 1n;
      candidate = (range[1] + 1n) % count;
    } else if (taken.has(candidate)) {
      passed++;
      candidate = (candidate + 1n) % count;
    } else {
      return candidate;
    }
  }
  return undefined;
}
