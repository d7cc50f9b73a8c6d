import { Address4 } from "ip-address";
import { describe, expect, test } from "vitest";
import { allocateBlocks } from "../../src/topology/allocate-blocks.js";
import { allocateWorkloadIps } from "../../src/topology/allocate-workloads.js";
import { loadTopologyText } from "../../src/topology/load-topology.js";
import type { Topology } from "../../src/topology/topology.js";

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
  const host = (cluster: (typeof CLUSTERS)[number]): HostSpec => {
    const index = nextAddress++;
    const blocks = 2 ** (cluster.hostPrefix - Number(cluster.cidr.split("/")[1]));
    const base = new Address4(cluster.cidr).startAddress().bigInt();
    const size = 2n ** BigInt(32 - cluster.hostPrefix);
    const explicitBlock = random() < 0.2 ? base + BigInt(pick(blocks)) * size : undefined;
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
  return { pick, host };
}

/** JSON is YAML: the generated topology is written as one JSON document. */
function load(cluster: (typeof CLUSTERS)[number], hosts: readonly HostSpec[]) {
  const file = {
    apiVersion: "netplan-k/v1",
    name: "prop",
    cluster: { ...cluster, mode: "vxlan" },
    hosts,
  };
  return loadTopologyText(JSON.stringify(file, null, 1), "prop.yaml");
}

/** Every host's block and every workload's address, by name. */
const addressesOf = (t: Topology): Map<string, string> =>
  new Map(
    t.hosts.flatMap((h) => [
      [h.name, h.podCidr] as const,
      ...h.workloads.map((w) => [`${h.name}/${w.name}`, w.ip] as const),
    ]),
  );

describe("allocation is stable", () => {
  test("adding or removing a host never moves another host's block or workload addresses", () => {
    const { pick, host } = makeGenerator(20240611);
    let compared = 0;
    for (let round = 0; round < 150; round++) {
      const cluster = CLUSTERS[round % CLUSTERS.length] ?? CLUSTERS[0];
      const hosts = Array.from({ length: pick(14) + 2 }, () => host(cluster));
      const before = load(cluster, hosts);
      if (!before.ok) continue;
      const baseline = addressesOf(before.topology);

      // The same input gives the same output.
      const again = load(cluster, hosts);
      expect(again.ok && again.topology).toEqual(before.topology);

      // Add a host anywhere in the list, not only at the end: order must not matter either.
      const added = [...hosts];
      added.splice(pick(hosts.length + 1), 0, host(cluster));
      const grown = load(cluster, added);
      if (grown.ok) {
        const after = addressesOf(grown.topology);
        for (const [key, value] of baseline) expect(after.get(key), key).toBe(value);
        compared++;
      }

      const removedIndex = pick(hosts.length);
      const removed = hosts.filter((_, i) => i !== removedIndex);
      const shrunk = load(cluster, removed);
      expect(shrunk.ok).toBe(true);
      if (shrunk.ok) {
        for (const [key, value] of addressesOf(shrunk.topology))
          expect(baseline.get(key), key).toBe(value);
        compared++;
      }
    }
    // The property must actually have been exercised, not skipped because of collisions.
    expect(compared).toBeGreaterThan(200);
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
        const block = new Address4(h.podCidr);
        expect(block.subnetMask).toBe(cluster.hostPrefix);
        expect(block.isInSubnet(new Address4(cluster.cidr))).toBe(true);
        for (const w of h.workloads) {
          const offset = new Address4(w.ip).bigInt() - block.startAddress().bigInt();
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

  test("a host's block depends on its name alone", () => {
    // sha256("block:node-1") -> slot 2 of 4, "block:node-3" -> slot 1.
    const alone = allocateBlocks(cluster, 24, [{ id: 0, name: "node-1" }]);
    const together = allocateBlocks(cluster, 24, [
      { id: 0, name: "node-3" },
      { id: 1, name: "node-1" },
    ]);
    expect(alone.blocks.get(0)?.block.networkForm()).toBe("10.244.2.0/24");
    expect(together.blocks.get(1)?.block.networkForm()).toBe("10.244.2.0/24");
    expect(together.blocks.get(0)?.block.networkForm()).toBe("10.244.1.0/24");
  });

  test("a collision is reported on the later host with the lowest free block, not probed", () => {
    // node-2 and node-4 both hash to slot 3; node-3 holds slot 1; the lowest free slot is 0.
    const result = allocateBlocks(cluster, 24, [
      { id: 0, name: "node-2" },
      { id: 1, name: "node-3" },
      { id: 2, name: "node-4" },
    ]);
    expect([...result.blocks.keys()]).toEqual([0, 1]);
    expect(
      result.collisions.map((c) => [
        c.id,
        c.holder,
        c.block.networkForm(),
        c.suggestion?.networkForm(),
      ]),
    ).toEqual([[2, 0, "10.244.3.0/24", "10.244.0.0/24"]]);
  });
});

describe("allocateWorkloadIps", () => {
  test("offsets skip the network, first and broadcast addresses", () => {
    // Block /30: one usable address, offset 2, whatever the name.
    const block = new Address4("10.244.1.4/30");
    const result = allocateWorkloadIps(block, [
      { id: "0/0", name: "red" },
      { id: "0/1", name: "blue" },
    ]);
    expect(result.ips.get("0/0")?.ip.correctForm()).toBe("10.244.1.6");
    expect(result.collisions.map((c) => [c.id, c.holder, c.suggestion])).toEqual([
      ["0/1", "0/0", undefined],
    ]);
  });

  test("an allocated address taken by a written one is a collision, with a free suggestion", () => {
    // 2 + sha256("workload:red") mod 5 = 3 in a /29.
    const block = new Address4("10.244.1.0/29");
    const result = allocateWorkloadIps(block, [
      { id: "0/0", name: "red" },
      { id: "0/1", name: "web", explicit: new Address4("10.244.1.3") },
    ]);
    expect(
      result.collisions.map((c) => [
        c.id,
        c.holder,
        c.ip.correctForm(),
        c.suggestion?.correctForm(),
      ]),
    ).toEqual([["0/0", "0/1", "10.244.1.3", "10.244.1.2"]]);
  });
});
