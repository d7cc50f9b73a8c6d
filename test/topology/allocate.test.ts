import { Address4 } from "ip-address";
import { describe, expect, test } from "vitest";
import { allocateBlocks } from "../../src/topology/allocate-blocks.js";
import { allocateWorkloadIps } from "../../src/topology/allocate-workloads.js";
import type { HeldAddresses } from "../../src/topology/allocate.js";
import { homeSlotOf } from "../../src/topology/allocate-slots.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";
import { modes } from "../../src/modes/registry.js";

/** mulberry32: a small seeded PRNG, so every run tests the same topologies. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface HostSpec {
  readonly name: string;
  readonly address: string;
  readonly podCidr?: string;
  readonly namespaces: readonly { readonly name: string; readonly ip?: string }[];
}

const CLUSTERS = [
  { cidr: "10.0.0.0/8", hostPrefix: 24 },
  { cidr: "10.244.0.0/16", hostPrefix: 24 },
  { cidr: "10.244.0.0/16", hostPrefix: 26 },
] as const;

interface Cluster {
  readonly cidr: string;
  readonly hostPrefix: number;
}

function makeGenerator(seed: number) {
  const random = seededRandom(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  const used = new Set<string>();
  let nextAddress = 0;
  const name = (): string => {
    for (;;) {
      const letters = "abcdefghijklmnopqrstuvwxyz0123456789";
      let text = "abcdefghijklmnopqrstuvwxyz"[pick(26)] ?? "a";
      for (let i = pick(9) + 2; i > 0; i--) text += letters[pick(letters.length)] ?? "x";
      if (!used.has(text)) {
        used.add(text);
        return text;
      }
    }
  };
  /** A host with random workloads; a fifth of them pin a random block, unless `unpinned`. */
  const host = (cluster: Cluster, unpinned = false): HostSpec => {
    const index = nextAddress++;
    const blocks = 2 ** (cluster.hostPrefix - Number(cluster.cidr.split("/")[1]));
    const base = new Address4(cluster.cidr).startAddress().bigInt();
    const size = 2n ** BigInt(32 - cluster.hostPrefix);
    const explicitBlock =
      !unpinned && random() < 0.2 ? base + BigInt(pick(blocks)) * size : undefined;
    const namespaces = Array.from({ length: pick(5) }, () => {
      const workload = { name: name() };
      if (explicitBlock === undefined || random() >= 0.3) return workload;
      const ip = Address4.fromBigInt(
        explicitBlock + 2n + BigInt(pick(Number(size) - 3)),
      ).correctForm();
      return { ...workload, ip };
    });
    return {
      name: name(),
      address: `192.168.${Math.floor(index / 250)}.${(index % 250) + 1}/16`,
      ...(explicitBlock !== undefined && {
        podCidr: `${Address4.fromBigInt(explicitBlock).correctForm()}/${cluster.hostPrefix}`,
      }),
      namespaces,
    };
  };
  return { random, pick, host };
}

/** JSON is YAML: the generated topology is written as one JSON document. */
function load(cluster: Cluster, hosts: readonly HostSpec[], held?: HeldAddresses) {
  const file = {
    apiVersion: "netplan-k/v1",
    name: "prop",
    cluster: { ...cluster, mode: "vxlan" },
    hosts,
  };
  return loadTopologyText(JSON.stringify(file, null, 1), "prop.yaml", modes, held);
}

/** Every host's block and every workload's address, by name. */
const addressesOf = (t: Topology): Map<string, string> =>
  new Map(
    t.hosts.flatMap((h) => [
      [h.name, h.v4?.podCidr ?? ""] as const,
      ...h.workloads.map((w) => [`${h.name}/${w.name}`, w.ipV4 ?? ""] as const),
    ]),
  );

/** What live hosts would hold after converging to `t`: every block and workload address. */
const heldOf = (t: Topology): HeldAddresses => ({
  blocks: new Map(t.hosts.map((h) => [h.name, new Address4(h.v4?.podCidr ?? "")])),
  ips: new Map(
    t.hosts.map((h) => [
      h.name,
      new Map(h.workloads.map((w) => [w.name, new Address4(w.ipV4 ?? "")])),
    ]),
  ),
});

/** The same hosts (and each host's workloads) in another order. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Names only, no podCidr and no workloads: what a new user writes. */
const unpinnedHosts = (names: readonly string[]): HostSpec[] =>
  names.map((name, index) => ({
    name,
    address: `192.168.${Math.floor(index / 250)}.${(index % 250) + 1}/16`,
    namespaces: [],
  }));

describe("allocation never fails while free blocks remain", () => {
  test("20 unpinned hosts in a /16 with hostPrefix 24: 250 seeded name sets, every one loads", () => {
    const cluster = { cidr: "10.244.0.0/16", hostPrefix: 24 };
    let withSharedHome = 0;
    for (let seed = 1; seed <= 250; seed++) {
      const { host } = makeGenerator(seed);
      const hosts = Array.from({ length: 20 }, () => host(cluster, true));
      const result = load(cluster, hosts);
      expect(result.ok, `seed ${seed}`).toBe(true);
      if (!result.ok) continue;
      expect(new Set(result.topology.hosts.map((h) => h.v4?.podCidr ?? "")).size).toBe(20);
      const homes = new Set(hosts.map((h) => homeSlotOf("block", h.name, 256n)));
      if (homes.size < 20) withSharedHome++;
    }
    // About half of all 20-name sets share a home block (the birthday bound): the probing
    // path was exercised, not only the easy one.
    expect(withSharedHome).toBeGreaterThan(80);
  });

  test("1,000 unpinned hosts in a /14 with hostPrefix 24 (1,024 blocks) all get a block", () => {
    const cluster = { cidr: "10.0.0.0/14", hostPrefix: 24 };
    const names = Array.from({ length: 1000 }, (_, i) => `node-${i}`);
    const result = load(cluster, unpinnedHosts(names));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(new Set(result.topology.hosts.map((h) => h.v4?.podCidr ?? "")).size).toBe(1000);
  });

  test("every block of a small cluster can be allocated, with written blocks in between", () => {
    const { random, pick, host } = makeGenerator(99);
    for (let round = 0; round < 200; round++) {
      const cluster = { cidr: "10.244.0.0/21", hostPrefix: 24 + pick(3) };
      const count = 2 ** (cluster.hostPrefix - 21);
      const hosts = Array.from({ length: 1 + pick(count) }, () => host(cluster, true));
      // Pin some hosts to distinct random blocks: the rest must fill in around them.
      const slots = shuffled(
        Array.from({ length: count }, (_, i) => i),
        random,
      );
      const size = 2n ** BigInt(32 - cluster.hostPrefix);
      const placed = hosts.map((h, i) =>
        random() < 0.3
          ? {
              ...h,
              podCidr: `${Address4.fromBigInt(new Address4("10.244.0.0").bigInt() + BigInt(slots[i] ?? 0) * size).correctForm()}/${cluster.hostPrefix}`,
            }
          : h,
      );
      const result = load(cluster, placed);
      expect(result.ok, JSON.stringify(placed)).toBe(true);
    }
  });

  test("one host more than there are blocks is an error naming both numbers", () => {
    const cluster = { cidr: "10.244.0.0/22", hostPrefix: 24 };
    const result = load(cluster, unpinnedHosts(["a", "b", "c", "d", "e"]));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      "cluster.cidr 10.244.0.0/22 has room for 4 blocks of /24, but there are 5 hosts",
    ]);
  });
});

describe("allocation does not depend on the order of the file", () => {
  test("the same hosts and workloads in any order get the same blocks and addresses", () => {
    const { random, pick, host } = makeGenerator(4242);
    let compared = 0;
    for (let round = 0; round < 150; round++) {
      const cluster = CLUSTERS[round % CLUSTERS.length] ?? CLUSTERS[0];
      const hosts = Array.from({ length: pick(20) + 2 }, () => host(cluster));
      const before = load(cluster, hosts);
      if (!before.ok) continue;
      const reordered = shuffled(hosts, random).map((h) => ({
        ...h,
        namespaces: shuffled(h.namespaces, random),
      }));
      const after = load(cluster, reordered);
      expect(after.ok).toBe(true);
      if (after.ok) expect(addressesOf(after.topology)).toEqual(addressesOf(before.topology));
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe("a live host never moves", () => {
  test("adding a host, removing a host or adding a workload moves no live host or workload", () => {
    const { pick, host } = makeGenerator(20240611);
    let compared = 0;
    for (let round = 0; round < 150; round++) {
      const cluster = CLUSTERS[round % CLUSTERS.length] ?? CLUSTERS[0];
      const hosts = Array.from({ length: pick(14) + 2 }, () => host(cluster));
      const before = load(cluster, hosts);
      if (!before.ok) continue;
      const live = heldOf(before.topology);
      const baseline = addressesOf(before.topology);
      const unchanged = (after: ReturnType<typeof load>): void => {
        expect(after.ok).toBe(true);
        if (!after.ok) return;
        const now = addressesOf(after.topology);
        for (const [key, value] of now)
          if (baseline.has(key)) expect(value, key).toBe(baseline.get(key));
        compared++;
      };

      // A new unpinned host anywhere in the file, its name's block maybe a live host's.
      const added = [...hosts];
      added.splice(pick(hosts.length + 1), 0, host(cluster, true));
      unchanged(load(cluster, added, live));

      const removedIndex = pick(hosts.length);
      unchanged(
        load(
          cluster,
          hosts.filter((_, i) => i !== removedIndex),
          live,
        ),
      );

      const grownIndex = pick(hosts.length);
      const grown = hosts.map((h, i) =>
        i === grownIndex ? { ...h, namespaces: [...h.namespaces, { name: `new-${round}` }] } : h,
      );
      unchanged(load(cluster, grown, live));
    }
    expect(compared).toBeGreaterThan(300);
  });

  test("from names alone, a host on its own name's block stays unless a new name claims it first", () => {
    const { pick, host } = makeGenerator(777);
    let onHome = 0;
    for (let round = 0; round < 150; round++) {
      const cluster = { cidr: "10.244.0.0/20", hostPrefix: 24 };
      const hosts = Array.from({ length: pick(12) + 2 }, () => host(cluster, true));
      const before = load(cluster, hosts);
      if (!before.ok) continue;
      const newcomer = host(cluster, true);
      const after = load(cluster, [...hosts, newcomer]);
      if (!after.ok) continue;
      const removed = load(cluster, hosts.slice(1));
      for (const h of before.topology.hosts) {
        const home = homeSlotOf("block", h.name, 16n);
        if (h.v4?.podCidr !== `10.244.${Number(home)}.0/24`) continue;
        onHome++;
        const claimedFirst =
          homeSlotOf("block", newcomer.name, 16n) === home && newcomer.name < h.name;
        if (!claimedFirst)
          expect(after.topology.hosts.find((x) => x.name === h.name)?.v4?.podCidr).toBe(
            h.v4?.podCidr,
          );
        if (removed.ok && h.name !== hosts[0]?.name)
          expect(removed.topology.hosts.find((x) => x.name === h.name)?.v4?.podCidr).toBe(
            h.v4?.podCidr,
          );
      }
    }
    expect(onHome).toBeGreaterThan(500);
  });

  test("allocated blocks and addresses are inside the cluster and never reserved", () => {
    const { pick, host } = makeGenerator(7);
    for (let round = 0; round < 60; round++) {
      const cluster = CLUSTERS[round % CLUSTERS.length] ?? CLUSTERS[0];
      const result = load(
        cluster,
        Array.from({ length: pick(10) + 1 }, () => host(cluster)),
      );
      if (!result.ok) continue;
      for (const h of result.topology.hosts) {
        const block = new Address4(h.v4?.podCidr ?? "");
        expect(block.subnetMask).toBe(cluster.hostPrefix);
        expect(block.isInSubnet(new Address4(cluster.cidr))).toBe(true);
        for (const w of h.workloads) {
          const offset = new Address4(w.ipV4 ?? "").bigInt() - block.startAddress().bigInt();
          expect(
            offset >= 2n &&
              offset <= block.endAddress().bigInt() - block.startAddress().bigInt() - 1n,
          ).toBe(true);
        }
      }
    }
  });
});

describe("allocateBlocks", () => {
  const cluster = new Address4("10.244.0.0/22");
  const blocksOf = (result: ReturnType<typeof allocateBlocks>) =>
    Object.fromEntries([...result.blocks].map(([id, b]) => [id, b.block.networkForm()]));

  test("a host's block is its name's home when free", () => {
    // sha256("block:node-1") -> slot 2 of 4, "block:node-3" -> slot 1.
    const alone = allocateBlocks(cluster, 24, [{ id: 0, name: "node-1" }]);
    const together = allocateBlocks(cluster, 24, [
      { id: 0, name: "node-3" },
      { id: 1, name: "node-1" },
    ]);
    expect(blocksOf(alone)).toEqual({ 0: "10.244.2.0/24" });
    expect(blocksOf(together)).toEqual({ 0: "10.244.1.0/24", 1: "10.244.2.0/24" });
  });

  test("two names with one home: the first in code-unit order keeps it, the other probes on", () => {
    // node-2 and node-4 both hash to slot 3; node-4 probes on to slot 0 (wrapping round).
    const forward = allocateBlocks(cluster, 24, [
      { id: 0, name: "node-2" },
      { id: 1, name: "node-4" },
    ]);
    const backward = allocateBlocks(cluster, 24, [
      { id: 1, name: "node-4" },
      { id: 0, name: "node-2" },
    ]);
    expect(blocksOf(forward)).toEqual({ 0: "10.244.3.0/24", 1: "10.244.0.0/24" });
    expect(blocksOf(backward)).toEqual(blocksOf(forward));
    expect(forward.blocks.get(1)?.source).toBe("probed");
  });

  test("a held block is kept, even when it is another name's home", () => {
    const result = allocateBlocks(cluster, 24, [
      { id: 0, name: "node-2" },
      { id: 1, name: "node-4", held: new Address4("10.244.3.0/24") },
    ]);
    expect(blocksOf(result)).toEqual({ 0: "10.244.0.0/24", 1: "10.244.3.0/24" });
    expect(result.blocks.get(1)?.source).toBe("held");
  });

  test("a held block the file now writes for another host, or outside the cluster, is not kept", () => {
    const result = allocateBlocks(cluster, 24, [
      { id: 0, name: "node-x", explicit: new Address4("10.244.1.0/24") },
      { id: 1, name: "node-1", held: new Address4("10.244.1.0/24") },
      { id: 2, name: "node-3", held: new Address4("10.99.0.0/24") },
    ]);
    // node-1 falls back to its home (2), node-3 finds its home (1) written and probes to 2, then 3.
    expect(blocksOf(result)).toEqual({
      0: "10.244.1.0/24",
      1: "10.244.2.0/24",
      2: "10.244.3.0/24",
    });
  });

  test("a full cluster leaves the last names without a block and counts what is needed", () => {
    const result = allocateBlocks(cluster, 24, [
      { id: 0, name: "node-x", explicit: new Address4("10.244.0.0/24") },
      ...["node-1", "node-2", "node-3", "node-4"].map((name, i) => ({ id: i + 1, name })),
    ]);
    expect(result.blocks.size).toBe(4);
    expect(result.unplaced).toEqual([4]);
    expect([result.count, result.needed]).toEqual([4n, 5n]);
  });
});

describe("allocateWorkloadIps", () => {
  test("offsets skip the network, first and broadcast addresses; a full block is counted", () => {
    // Block /30: one usable address, offset 2, whatever the name.
    const block = new Address4("10.244.1.4/30");
    const result = allocateWorkloadIps(block, [
      { id: "0/0", name: "red" },
      { id: "0/1", name: "blue" },
    ]);
    // "blue" sorts first, so it takes the one address.
    expect(result.ips.get("0/1")?.ip.correctForm()).toBe("10.244.1.6");
    expect([result.unplaced, result.usable, result.needed]).toEqual([["0/0"], 1n, 2n]);
  });

  test("an address taken by a written one: the allocated one probes on", () => {
    // 2 + sha256("workload:red") mod 5 = 3 in a /29.
    const block = new Address4("10.244.1.0/29");
    const result = allocateWorkloadIps(block, [
      { id: "0/0", name: "red" },
      { id: "0/1", name: "web", explicit: new Address4("10.244.1.3") },
    ]);
    expect(result.ips.get("0/0")?.ip.correctForm()).toBe("10.244.1.4");
    expect(result.unplaced).toEqual([]);
  });

  test("a held address is kept", () => {
    const block = new Address4("10.244.1.0/29");
    const result = allocateWorkloadIps(block, [
      { id: "0/0", name: "red", held: new Address4("10.244.1.6") },
      { id: "0/1", name: "green" },
    ]);
    expect(result.ips.get("0/0")?.ip.correctForm()).toBe("10.244.1.6");
    expect(result.ips.get("0/0")?.source).toBe("held");
  });
});
