import { isDisableIpv6Sysctl } from "./ipv6-enabled-sysctls.js";
import type { Change, Conflict, ConflictKind, ObjectKind } from "./plan.js";

/**
 * The order a host's changes are applied in. Make before break: every create and update
 * comes before any delete, so traffic moves to the new path before the old one goes.
 * Creates follow dependencies (a namespace before the links in it, a bridge before its
 * ports, a link before its addresses, an address before routes through it, links before
 * their per-interface sysctls, a configuration file before its service); deletes run in the
 * reverse order. A replace (delete and create again) sits where the link's create would.
 * Three kinds of delete cannot wait:
 * - a VXLAN device with the VNI and port of a VTEP this plan creates (a renamed flannel.1):
 *   the kernel allows one per namespace ("A VXLAN device with the specified VNI already
 *   exists"), so it goes before the link creates;
 * - an address on the device of a route or neighbour this plan writes, or that is the gateway
 *   of such a route. The kernel refuses a route via a local address ("Nexthop has invalid
 *   gateway": when two hosts swap blocks, a VTEP's old address is the peer's new gateway),
 *   and removes every route and neighbour of a device with its last address
 *   (project-observed.ts). Such an address goes right after the address creates.
 * - an IPv6 address whose IP the plan adds again on the same device with another prefix (a
 *   workload's `/64` of attach bridge and `/128` of attach routed, on a live attach switch).
 *   The kernel keeps one IPv6 address per IP on a device and refuses the second
 *   (`Error: ipv6: address already assigned`, measured here; IPv4 allows the same IP twice
 *   with two prefixes; `ip addr replace` keeps the old prefix), so the old one goes right
 *   before the create of the same IP: the two are adjacent lines of one batch. Measured on a
 *   live routed → bridge switch (lab v3m, ip monitor in the workload): with the delete ahead
 *   of every address create, the host namespace's address creates (another `ip -batch`)
 *   sat between the two and the workload had no IPv6 address for 17 ms; its pings left with
 *   the link-local source ("Beyond scope of source address") and 2–16 were lost.
 * Within a phase: the host's namespace first, then workload namespaces by name, then keys in
 * natural order (10.244.2.0 before 10.244.10.0).
 */

const CREATE_PHASE: Readonly<Record<ObjectKind, number>> = {
  namespace: 0,
  link: 1,
  address: 3,
  neighbour: 4,
  fdb: 4,
  route: 5,
  sysctl: 6,
  // After every link update (an MTU put back) and route of the batch.
  pathMtu: 6,
  file: 7,
  service: 8,
};
/** Link updates come after every link create: a port's new master may be a new bridge. */
const LINK_UPDATE_PHASE = 2;
/** After the namespace creates, before the link creates. */
const EARLY_LINK_DELETE_PHASE = 0.5;
/** After the address creates, before neighbours and routes. */
const EARLY_ADDRESS_DELETE_PHASE = 3.5;
/**
 * A device's disable_ipv6 set back to 0: after its link is made or updated, before its IPv6
 * addresses, which the kernel refuses while it is 1 (ipv6-enabled-sysctls.ts).
 */
const IPV6_ENABLE_PHASE = 2.5;

const DELETE_PHASE: Readonly<Record<ObjectKind, number>> = {
  service: 9,
  file: 10,
  route: 11,
  neighbour: 12,
  fdb: 12,
  address: 13,
  link: 14,
  namespace: 15,
  // Never deleted (sysctls are only set); listed for completeness of the record.
  sysctl: 16,
  // Never deleted (only flushed by an update).
  pathMtu: 16,
};

const scopeOf = (item: { readonly netns?: string }): string => item.netns ?? "";

/**
 * "netns|dev <name>" of every device and "netns|via <ip>" of every gateway a route or
 * neighbour of the plan is written through.
 */
function writtenThrough(changes: readonly Change[]): Set<string> {
  const through = new Set<string>();
  for (const change of changes) {
    if (change.action === "delete") continue;
    if (change.kind === "route" && change.after !== undefined) {
      const { dev, via } = change.after;
      if (dev !== undefined) through.add(`${scopeOf(change)}|dev ${dev}`);
      if (via !== undefined) through.add(`${scopeOf(change)}|via ${via}`);
    }
    if (change.kind === "neighbour" && change.after !== undefined) {
      through.add(`${scopeOf(change)}|dev ${change.after.dev}`);
    }
  }
  return through;
}

function isEarlyAddressDelete(change: Change, through: ReadonlySet<string>): boolean {
  if (change.kind !== "address" || change.action !== "delete" || change.before === undefined) {
    return false;
  }
  const ip = change.before.cidr.split("/")[0] ?? "";
  return (
    through.has(`${scopeOf(change)}|dev ${change.before.dev}`) ||
    through.has(`${scopeOf(change)}|via ${ip}`)
  );
}

const addressIp = (cidr: string): string => cidr.split("/")[0] ?? "";

/** "netns|dev|ip" of an IPv6 address the change creates; undefined for any other change. */
function createdIpv6Address(change: Change): string | undefined {
  if (change.kind !== "address" || change.action !== "create" || change.after === undefined) {
    return undefined;
  }
  const ip = addressIp(change.after.cidr);
  return ip.includes(":") ? `${scopeOf(change)}|${change.after.dev}|${ip}` : undefined;
}

/** "netns|dev|ip" of every IPv6 address the plan creates. */
function createdIpv6Addresses(changes: readonly Change[]): Set<string> {
  const created = new Set<string>();
  for (const change of changes) {
    const id = createdIpv6Address(change);
    if (id !== undefined) created.add(id);
  }
  return created;
}

/** "netns|dev|ip" of the create an address delete must directly precede, if there is one. */
function readdedAddress(change: Change, readded: ReadonlySet<string>): string | undefined {
  if (change.kind !== "address" || change.action !== "delete" || change.before === undefined) {
    return undefined;
  }
  const id = `${scopeOf(change)}|${change.before.dev}|${addressIp(change.before.cidr)}`;
  return readded.has(id) ? id : undefined;
}

/** `ordered` with each delete of `deletesByCreate` put right before the create it frees. */
function placeReaddedDeletes(
  ordered: readonly Change[],
  deletesByCreate: ReadonlyMap<string, readonly Change[]>,
): Change[] {
  const placed: Change[] = [];
  for (const change of ordered) {
    const id = createdIpv6Address(change);
    const deletes = id === undefined ? undefined : deletesByCreate.get(id);
    if (deletes !== undefined) placed.push(...deletes);
    placed.push(change);
  }
  return placed;
}

/** "netns|id/port" of every VTEP the plan creates (or recreates). */
function createdVteps(changes: readonly Change[]): Set<string> {
  const vteps = new Set<string>();
  for (const change of changes) {
    if (change.kind === "link" && change.action !== "delete" && change.after?.vxlan) {
      vteps.add(`${scopeOf(change)}|${change.after.vxlan.id}/${change.after.vxlan.port}`);
    }
  }
  return vteps;
}

const isEarlyLinkDelete = (change: Change, vteps: ReadonlySet<string>): boolean =>
  change.kind === "link" &&
  change.action === "delete" &&
  change.before?.vxlan !== undefined &&
  vteps.has(`${scopeOf(change)}|${change.before.vxlan.id}/${change.before.vxlan.port}`);

interface Freed {
  readonly through: ReadonlySet<string>;
  readonly vteps: ReadonlySet<string>;
  readonly readded: ReadonlySet<string>;
}

function phase(change: Change, freed: Freed): number {
  if (isEarlyLinkDelete(change, freed.vteps)) return EARLY_LINK_DELETE_PHASE;
  if (isEarlyAddressDelete(change, freed.through)) return EARLY_ADDRESS_DELETE_PHASE;
  if (change.action === "delete") return DELETE_PHASE[change.kind];
  if (change.kind === "link" && change.action === "update") return LINK_UPDATE_PHASE;
  if (change.kind === "sysctl" && change.after !== undefined && isDisableIpv6Sysctl(change.after)) {
    return IPV6_ENABLE_PHASE;
  }
  return CREATE_PHASE[change.kind];
}

/** Neighbours before fdb entries: they share a phase. */
const kindRank = (kind: ConflictKind): number => (kind === "fdb" ? 1 : 0);

/** Bridges before their ports when creating; ports before their bridge when deleting. */
function rank(change: Change): number {
  if (change.kind !== "link") return kindRank(change.kind);
  if (change.action === "delete") return change.before?.master === undefined ? 1 : 0;
  return change.after?.master === undefined ? 0 : 1;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** Where the run of digits (or of non-digits, `digits` false) starting at `from` ends. */
function runEnd(s: string, from: number, digits: boolean): number {
  let end = from;
  while (end < s.length && isDigit(s.charCodeAt(end)) === digits) end++;
  return end;
}

/** Compares s[a, aEnd) with t[b, bEnd) by UTF-16 code units, as `<` does, without slicing. */
function compareRuns(s: string, a: number, aEnd: number, t: string, b: number, bEnd: number) {
  for (; a < aEnd && b < bEnd; a++, b++) {
    const diff = s.charCodeAt(a) - t.charCodeAt(b);
    if (diff !== 0) return diff < 0 ? -1 : 1;
  }
  return aEnd - a - (bEnd - b);
}

/** The value of the digits s[from, end). */
function runValue(s: string, from: number, end: number): number {
  let value = 0;
  for (let i = from; i < end; i++) value = value * 10 + (s.charCodeAt(i) - 48);
  return value;
}

/**
 * Compares strings with embedded numbers by their value: "flannel.2" < "flannel.10". Text
 * runs compare as `<` does, digit runs by value (then as text: "01" < "1"), and a string that
 * ends first is smaller. Scans in place: it sorts millions of keys at a thousand hosts.
 */
export function compareNatural(a: string, b: string): number {
  let i = 0;
  let j = 0;
  for (;;) {
    const textEndA = runEnd(a, i, false);
    const textEndB = runEnd(b, j, false);
    const text = compareRuns(a, i, textEndA, b, j, textEndB);
    if (text !== 0) return text < 0 ? -1 : 1;
    i = textEndA;
    j = textEndB;
    if (i === a.length || j === b.length)
      return (i === a.length ? 0 : 1) - (j === b.length ? 0 : 1);
    const digitEndA = runEnd(a, i, true);
    const digitEndB = runEnd(b, j, true);
    const value = runValue(a, i, digitEndA) - runValue(b, j, digitEndB);
    if (value !== 0) return value;
    const digits = compareRuns(a, i, digitEndA, b, j, digitEndB);
    if (digits !== 0) return digits < 0 ? -1 : 1;
    i = digitEndA;
    j = digitEndB;
  }
}

/** Significant digits a run may have for naturalSortKey to stay exact. */
const MAX_DIGITS = 0x1e;
/** Leading zeros a run may have for naturalSortKey to stay exact. */
const MAX_ZEROS = 0xfe;

/**
 * Appends to `codes` the character codes of naturalSortKey(s). Each run of digits becomes a
 * code for its count of significant digits (below any printable character, as compareNatural
 * puts a string whose text run ends first before one whose text goes on), those digits, then
 * a code that orders leading zeros as compareNatural does ("01" < "1", but "0" < "00").
 * Every code fits in one byte, so the key is a one-byte string compared byte by byte.
 */
function pushNaturalCodes(s: string, codes: number[]): void {
  let i = 0;
  while (i < s.length) {
    const textEnd = runEnd(s, i, false);
    for (; i < textEnd; i++) codes.push(s.charCodeAt(i));
    if (textEnd === s.length) return;
    const digitEnd = runEnd(s, textEnd, true);
    let significant = textEnd;
    while (significant < digitEnd - 1 && s.charCodeAt(significant) === 48) significant++;
    const zeros = Math.min(significant - textEnd, MAX_ZEROS);
    if (significant === digitEnd - 1 && s.charCodeAt(significant) === 48) {
      // All zeros: below every other value; compareNatural puts the shorter run first.
      codes.push(1, zeros);
    } else {
      codes.push(1 + Math.min(digitEnd - significant, MAX_DIGITS));
      for (let d = significant; d < digitEnd; d++) codes.push(s.charCodeAt(d));
      codes.push(0xff - zeros);
    }
    i = digitEnd;
  }
}

/**
 * A string whose code-unit order (`<`) is compareNatural's order (pushNaturalCodes), worked
 * out once per string instead of scanning for runs at every comparison. Exact for strings of
 * printable ASCII with digit runs of up to 30 significant digits and 254 leading zeros.
 */
export function naturalSortKey(s: string): string {
  const codes: number[] = [];
  pushNaturalCodes(s, codes);
  return String.fromCharCode(...codes);
}

/** Natural keys kept between calls; past this many, the memo starts again. */
const MEMO_LIMIT = 1 << 17;
const naturalKeys = new Map<string, string>();

/**
 * naturalSortKey(key), remembered: the hosts of one topology write the same keys (every
 * host of a mesh has a route to each peer's block), so each is worked out about once rather
 * than once per host. Only the time taken depends on the memo, never the key.
 */
function memoNaturalKey(key: string): string {
  let natural = naturalKeys.get(key);
  if (natural === undefined) {
    natural = naturalSortKey(key);
    if (naturalKeys.size >= MEMO_LIMIT) naturalKeys.clear();
    naturalKeys.set(key, natural);
  }
  return natural;
}

/** The changes of one phase, rank and scope by key in natural order; equal keys keep theirs. */
function sortByNaturalKey(changes: readonly Change[]): readonly Change[] {
  const keys = changes.map((change) => memoNaturalKey(change.key));
  if (keys.every((key, index) => index === 0 || (keys[index - 1] as string) <= key)) {
    return changes;
  }
  const order = keys.map((_, index) => index);
  order.sort((a, b) => {
    const [keyA, keyB] = [keys[a] as string, keys[b] as string];
    return keyA < keyB ? -1 : keyA > keyB ? 1 : a - b;
  });
  return order.map((index) => changes[index] as Change);
}

/**
 * Slots of phase and rank (slot = phase × 4 + rank: phases are whole or halves, ranks 0 or
 * 1), up to the latest phase of the tables above, so that a phase added there always has a
 * slot and its changes are never left out.
 */
const SLOTS =
  Math.max(
    ...Object.values(CREATE_PHASE),
    ...Object.values(DELETE_PHASE),
    LINK_UPDATE_PHASE,
    EARLY_LINK_DELETE_PHASE,
    EARLY_ADDRESS_DELETE_PHASE,
    IPV6_ENABLE_PHASE,
  ) *
    4 +
  2;

/**
 * The changes in the order they must be applied (see the top of this file): grouped by
 * phase, rank and scope in one pass (a bucket per combination), the buckets taken in that
 * order (scopes in natural order), each bucket by key in natural order. A host's changes of
 * one kind come from its desired state in the order of their keys, often the natural one
 * already: such a bucket is only checked, not sorted. Equal keys keep the input order.
 */
export function orderChanges(changes: readonly Change[]): Change[] {
  // Only deletes of addresses and links ask what the plan writes through or creates.
  const deletes = (kind: ObjectKind): boolean =>
    changes.some((change) => change.kind === kind && change.action === "delete");
  const freed: Freed = {
    through: deletes("address") ? writtenThrough(changes) : new Set(),
    vteps: deletes("link") ? createdVteps(changes) : new Set(),
    readded: deletes("address") ? createdIpv6Addresses(changes) : new Set(),
  };
  const readdedDeletes = new Map<string, Change[]>();
  const bucketsByScope = new Map<string, Change[][]>();
  for (const change of changes) {
    const readded = freed.readded.size === 0 ? undefined : readdedAddress(change, freed.readded);
    if (readded !== undefined) {
      const deletes = readdedDeletes.get(readded);
      if (deletes === undefined) readdedDeletes.set(readded, [change]);
      else deletes.push(change);
      continue;
    }
    const scope = scopeOf(change);
    let buckets = bucketsByScope.get(scope);
    if (buckets === undefined) {
      buckets = [];
      bucketsByScope.set(scope, buckets);
    }
    const slot = phase(change, freed) * 4 + rank(change);
    (buckets[slot] ??= []).push(change);
  }
  const scopes = [...bucketsByScope.keys()]
    .map((scope) => ({ scope, natural: naturalSortKey(scope) }))
    .sort((a, b) => (a.natural < b.natural ? -1 : a.natural > b.natural ? 1 : 0))
    .map(({ scope }) => bucketsByScope.get(scope) as Change[][]);
  const ordered: Change[] = [];
  for (let slot = 0; slot < SLOTS; slot++) {
    for (const buckets of scopes) {
      const bucket = buckets[slot];
      if (bucket !== undefined) for (const change of sortByNaturalKey(bucket)) ordered.push(change);
    }
  }
  return readdedDeletes.size === 0 ? ordered : placeReaddedDeletes(ordered, readdedDeletes);
}

/** Policy rules are never created; their conflicts come after those about routes. */
const conflictPhase = (kind: ConflictKind): number =>
  kind === "rule" ? CREATE_PHASE.route + 0.5 : CREATE_PHASE[kind];

/** Conflicts in the order their objects would be created. */
export function orderConflicts(conflicts: readonly Conflict[]): Conflict[] {
  return [...conflicts].sort(
    (a, b) =>
      conflictPhase(a.kind) - conflictPhase(b.kind) ||
      kindRank(a.kind) - kindRank(b.kind) ||
      compareNatural(scopeOf(a), scopeOf(b)) ||
      compareNatural(a.key, b.key),
  );
}
